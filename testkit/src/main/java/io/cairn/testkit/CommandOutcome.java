package io.cairn.testkit;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.Rejection;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;
import org.opentest4j.AssertionFailedError;

/**
 * What an aggregate made of one command in an {@link AggregateFixture}: events, a rejection, or an exception.
 * Each {@code then} method asserts one of these and fails with an {@link AssertionFailedError} whose message
 * states what was expected and what happened instead, and whose expected and actual values let an IDE show
 * the difference. The methods that return {@code this} can be chained ({@code thenEvents(...).thenState(...)}).
 *
 * <p>Immutable and thread-safe, provided the aggregate's events and states are. No method accepts null: each
 * throws {@link NullPointerException} naming the argument.
 *
 * @param <E> event type
 * @param <S> state type
 */
public final class CommandOutcome<E, S> {

    private final Aggregate<?, E, S> aggregate;
    private final String command;
    private final S before;
    private final Decision<E> decision; // null when something threw
    private final RuntimeException thrown; // null when the aggregate decided

    CommandOutcome(Aggregate<?, E, S> aggregate, String command, S before, Decision<E> decision,
                   RuntimeException thrown) {
        this.aggregate = aggregate;
        this.command = command;
        this.before = before;
        this.decision = decision;
        this.thrown = thrown;
    }

    /**
     * Asserts the command was accepted with exactly {@code expected}, in order (compared with {@code equals}).
     *
     * @param expected not null, no null element; none means {@link #thenNothing()}
     * @return this
     * @throws AssertionFailedError when other events were emitted, the command was rejected, or something threw
     */
    @SafeVarargs
    public final CommandOutcome<E, S> thenEvents(E... expected) {
        requireNonNull(expected, "expected must not be null");
        return thenEvents(List.of(expected));
    }

    /**
     * Asserts the command was accepted with exactly {@code expected}, in order (compared with {@code equals}).
     *
     * @param expected not null, no null element
     * @return this
     * @throws AssertionFailedError when other events were emitted, the command was rejected, or something threw
     */
    public CommandOutcome<E, S> thenEvents(List<? extends E> expected) {
        List<E> wanted = List.copyOf(requireNonNull(expected, "expected must not be null"));
        String what = "expected events " + wanted;
        List<E> events = accepted(what, wanted);
        if (!events.equals(wanted)) {
            throw failure(what + " but got " + events, wanted, events, null);
        }
        return this;
    }

    /**
     * Asserts the command was accepted without any event: it changes nothing.
     *
     * @return this
     * @throws AssertionFailedError when events were emitted, the command was rejected, or something threw
     */
    public CommandOutcome<E, S> thenNothing() {
        String what = "expected no events";
        List<E> events = accepted(what, List.of());
        if (!events.isEmpty()) {
            throw failure(what + " but got " + events, List.of(), events, null);
        }
        return this;
    }

    /**
     * Asserts the command was rejected with {@code reason} (and so emitted nothing). The rejection's detail is
     * not compared: it is a sentence for people.
     *
     * @param reason the expected {@link Rejection#reason()}, e.g. {@code insufficient_stock}; not null
     * @return this
     * @throws AssertionFailedError when the command was accepted, rejected for another reason, or something threw
     */
    public CommandOutcome<E, S> thenRejected(String reason) {
        requireNonNull(reason, "reason must not be null");
        String what = "expected rejection '" + reason + "'";
        if (thrown != null) {
            throw threw(what, reason);
        }
        if (decision instanceof Decision.Accepted<E> accepted) {
            throw failure(what + " but the command was accepted with events " + accepted.events(), reason,
                    accepted.events(), null);
        }
        Rejection rejection = ((Decision.Rejected<E>) decision).rejection();
        if (!rejection.reason().equals(reason)) {
            throw failure(what + " but got rejection '" + rejection.reason() + "' (" + rejection.detail() + ")", reason,
                    rejection.reason(), null);
        }
        return this;
    }

    /**
     * Asserts on the state after the given events and the emitted ones (after a rejection: the given state).
     *
     * @param requirements AssertJ assertions on the state, e.g. {@code s -> assertThat(s.onHand()).isEqualTo(3)};
     *                     not null; whatever they throw propagates
     * @return this
     * @throws AssertionFailedError when something threw instead
     */
    public CommandOutcome<E, S> thenState(Consumer<? super S> requirements) {
        requireNonNull(requirements, "requirements must not be null");
        if (thrown != null) {
            throw threw("expected a state", null);
        }
        requirements.accept(state());
        return this;
    }

    /**
     * Asserts that the command threw {@code type} (or a subclass) instead of being decided: from
     * {@link Aggregate#decide}, or from the command reader in {@link AggregateFixture#when(String, String)}.
     *
     * @param type not null
     * @return an AssertJ assertion on the exception, for its message or fields
     * @throws AssertionFailedError when the command was decided, or something else was thrown
     */
    public AbstractThrowableAssert<?, ? extends Throwable> thenThrows(Class<? extends Throwable> type) {
        requireNonNull(type, "type must not be null");
        String what = "expected " + type.getName() + " to be thrown";
        if (thrown == null) {
            throw failure(what + " but " + decided(), type.getName(), decision, null);
        }
        if (!type.isInstance(thrown)) {
            throw failure(what + " but " + thrown.getClass().getName() + " was: " + thrown.getMessage(),
                    type.getName(), thrown.getClass().getName(), thrown);
        }
        return Assertions.assertThat(thrown);
    }

    /**
     * Asserts that the command was refused as invalid input naming {@code field} (an
     * {@link InvalidInputException}, which Cairn answers 400): e.g. {@code quantity} for
     * {@code {"quantity":0}}.
     *
     * @param field the expected {@link InvalidInputException#field()}; not null
     * @return an AssertJ assertion on the exception, for its message
     * @throws AssertionFailedError when the command was decided, something else was thrown, or another field was named
     */
    public AbstractThrowableAssert<?, ? extends Throwable> thenInvalidInput(String field) {
        requireNonNull(field, "field must not be null");
        thenThrows(InvalidInputException.class);
        String named = ((InvalidInputException) thrown).field();
        if (!named.equals(field)) {
            throw failure("expected invalid input naming '" + field + "' but it named '" + named + "': "
                    + thrown.getMessage(), field, named, thrown);
        }
        return Assertions.assertThat(thrown);
    }

    private List<E> accepted(String what, Object expected) {
        if (thrown != null) {
            throw threw(what, expected);
        }
        if (decision instanceof Decision.Rejected<E> rejected) {
            throw failure(what + " but the command was rejected: " + describe(rejected.rejection()), expected,
                    rejected.rejection(), null);
        }
        return ((Decision.Accepted<E>) decision).events();
    }

    private S state() {
        List<E> emitted = decision instanceof Decision.Accepted<E> accepted ? accepted.events() : List.of();
        return aggregate.fold(before, emitted);
    }

    private AssertionFailedError threw(String what, Object expected) {
        return failure(what + " but the command threw " + thrown.getClass().getName() + ": " + thrown.getMessage(),
                expected, thrown, thrown);
    }

    private String decided() {
        if (decision instanceof Decision.Accepted<E> accepted) {
            return accepted.events().isEmpty() ? "the command was accepted with no events"
                    : "the command was accepted with events " + accepted.events();
        }
        return "the command was rejected: " + describe(((Decision.Rejected<E>) decision).rejection());
    }

    private AssertionFailedError failure(String message, Object expected, Object actual, Throwable cause) {
        return new AssertionFailedError(message + "\nwhen: " + command, expected, actual, cause);
    }

    private static String describe(Rejection rejection) {
        return rejection.reason() + " (" + rejection.detail() + ")";
    }

    @Override
    public String toString() {
        return "CommandOutcome[when " + command + ": " + (thrown != null ? "threw " + thrown : decision) + "]";
    }
}
