package io.cairn.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one command from the JSON body of {@code POST /{collection}/{id}/{command}}. Implementations are
 * thread-safe and hold no state; {@link #json(Class)} and {@link #json(Class, Function)} cover the usual cases.
 *
 * @param <C> the aggregate's command type
 */
@FunctionalInterface
public interface CommandReader<C> {

    /**
     * @param json the request body as UTF-8 text, never null; an empty body arrives as {@code {}}
     * @return the command, never null
     * @throws io.cairn.domain.InvalidInputException when the body does not fit the command: its
     *         {@code field()} names the offending field ({@code body} for the whole body); an
     *         {@link io.cairn.domain.MalformedJsonException} when it is not JSON at all. The request is answered 400 and
     *         nothing is stored.
     */
    C read(String json);

    /**
     * The record the body is read into, when the reader knows it: what {@link #json(Class)}, {@link #json(Class,
     * Function)} and {@link #empty(Object)} read. The HTTP layer describes the command's body from it in its OpenAPI
     * document (a reader without one is described as any JSON object).
     *
     * @return the body's record class; empty by default
     */
    default Optional<Class<? extends Record>> bodyType() {
        return Optional.empty();
    }

    /**
     * Reads the body straight into {@code type}, a record whose compact constructor validates (by throwing
     * {@link io.cairn.domain.InvalidInputException} naming the field). A field of a primitive type must be
     * present; a boxed or reference field may be absent (null), for the constructor to default or refuse.
     *
     * @param type a record class, not null
     * @throws IllegalArgumentException when {@code type} is not a record
     */
    static <C> CommandReader<C> json(Class<C> type) {
        return JsonReading.reader(type, Function.identity());
    }

    /**
     * Reads the body into {@code body}, a record of the wire shape, and turns it into the command: for a command
     * whose JSON differs from the command type (defaults, renamed fields, values built from several fields).
     * {@code toCommand} may throw {@link io.cairn.domain.InvalidInputException} naming a field.
     *
     * @param body      a record class, not null
     * @param toCommand not null, must not return null
     * @throws IllegalArgumentException when {@code body} is not a record
     */
    static <B, C> CommandReader<C> json(Class<B> body, Function<? super B, ? extends C> toCommand) {
        return JsonReading.reader(body, requireNonNull(toCommand, "toCommand must not be null"));
    }

    /**
     * A command without fields: the body must be an empty object (or empty).
     *
     * @param command the command every request stands for, not null
     */
    static <C> CommandReader<C> empty(C command) {
        requireNonNull(command, "command must not be null");
        return JsonReading.reader(NoFields.class, ignored -> command);
    }

    /** The shape of a body without fields. */
    record NoFields() {
    }
}
