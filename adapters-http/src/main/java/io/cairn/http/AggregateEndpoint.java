package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.application.AggregateQueries;
import io.cairn.application.AggregateQueries.Consistency;
import io.cairn.application.CommandHandler;
import io.cairn.application.CommandOutcome;
import io.cairn.application.PastState;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.Rejection;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One registered aggregate over HTTP: {@code POST /{collection}/{id}/{command}} (the Idempotency-Key is the command
 * id) and {@code GET /{collection}/{id}?consistency=eventual|strong} (or {@code ?revision=N}, {@code ?at=<instant>}:
 * the state as it was). The same code serves every domain's
 * aggregates; what differs between them is only their {@link AggregateType}. Thread-safe.
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type
 */
public final class AggregateEndpoint<C, E, S> {

    private static final String REVISION = "revision";
    private static final String AT = "at";
    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]*");

    private final AggregateType<C, E, S> type;
    private final CommandHandler<C, E, S> commands;
    private final AggregateQueries<E, S> queries;
    private final int maxIdLength;

    private AggregateEndpoint(AggregateType<C, E, S> type, CommandHandler<C, E, S> commands,
                              AggregateQueries<E, S> queries) {
        this.type = requireNonNull(type, "type must not be null");
        this.commands = requireNonNull(commands, "commands must not be null");
        this.queries = requireNonNull(queries, "queries must not be null");
        this.maxIdLength = StreamId.MAX_LENGTH - type.category().length() - 1;
    }

    /**
     * The routes of {@code type}, served by its command handler and queries (those of the same aggregate).
     *
     * @throws NullPointerException for a null argument
     */
    public static <C, E, S> AggregateEndpoint<C, E, S> of(AggregateType<C, E, S> type,
                                                          CommandHandler<C, E, S> commands,
                                                          AggregateQueries<E, S> queries) {
        return new AggregateEndpoint<>(type, commands, queries);
    }

    /** The aggregate's registration. */
    public AggregateType<C, E, S> type() {
        return type;
    }

    /** {@code POST /{collection}/{id}/{name}}: reads the command from the body and handles it. */
    Reply command(String name, Context ctx, byte[] body, Optional<UUID> key, ProblemMapper problems,
                  Replies replies) {
        String id = id(ctx);
        CommandReader<? extends C> reader = type.command(name).orElseThrow(() -> new ProblemException(
                ProblemMapper.forStatus(404, "the " + type.collection() + " take no command '" + name
                        + "'; they take " + type.commands().keySet())));
        C command = reader.read(new String(body, StandardCharsets.UTF_8));
        CommandOutcome outcome;
        try {
            outcome = commands.handle(id, key.orElseGet(UUID::randomUUID), command,
                    Map.of(StreamController.PRINCIPAL, RequestGuard.principal(ctx).name()));
        } catch (WrongExpectedRevision e) {
            throw new CommandContentionException(type.category() + " '" + id + "'", e);
        }
        if (outcome instanceof CommandOutcome.Rejected rejected) {
            return replies.problem(rejection(id, rejected.rejection()), ctx);
        }
        CommandOutcome.Accepted accepted = (CommandOutcome.Accepted) outcome;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(type.idField(), id);
        answer.put("revision", accepted.revision());
        if (accepted.revision() > 0) {
            answer.put("token", new WriteToken(accepted.stream(), accepted.revision()).encode());
        }
        Reply reply = replies.json(200, answer);
        return accepted.replayed() ? reply.withHeader(IdempotencyCache.REPLAYED_HEADER, "true") : reply;
    }

    /**
     * {@code GET /{collection}/{id}?consistency=eventual|strong}: the state as the domain shows it, with its revision;
     * with {@code ?revision=N} or {@code ?at=<instant>}, the state as it was then (time travel).
     */
    Reply get(Context ctx, Replies replies) {
        String id = id(ctx);
        String revision = ctx.queryParam(REVISION);
        String at = ctx.queryParam(AT);
        if (revision != null || at != null) {
            return replies.json(200, shown(id, past(id, revision, at, ctx.queryParam("consistency"))));
        }
        Consistency consistency = consistency(ctx.queryParam("consistency"));
        Snapshot<S> found = queries.find(id, consistency)
                .orElseThrow(() -> new ProblemException(doesNotExist(id)));
        return replies.json(200, shown(id, found));
    }

    /** Time travel: the state at {@code ?revision=N} or {@code ?at=<instant>}, or the problem why there is none. */
    private Snapshot<S> past(String id, String revision, String at, String consistency) {
        if (revision != null && at != null) {
            throw new InvalidInputException(AT, "revision and at cannot be combined: ask for one of them");
        }
        if (consistency != null) {
            throw new InvalidInputException("consistency", "consistency is for the current state; a state as it "
                    + "was (revision or at) is always folded from the store, so leave consistency out");
        }
        PastState<S> answer = revision != null ? queries.atRevision(id, revision(revision))
                : queries.atInstant(id, instant(at));
        if (answer instanceof PastState.Found<S> found) {
            return found.snapshot();
        }
        if (answer instanceof PastState.BeyondStream<S> beyond) {
            throw new ProblemException(Problem.of(400, "revision-beyond-stream", "Revision beyond the stream",
                            type.category() + " '" + id + "' is at revision " + beyond.currentRevision()
                                    + "; revision " + beyond.revision() + " is beyond it")
                    .with("field", REVISION)
                    .with(REVISION, beyond.revision())
                    .with("currentRevision", beyond.currentRevision()));
        }
        if (answer instanceof PastState.BeforeStream<S> before) {
            throw new ProblemException(notFound(id, type.category() + " '" + id + "' did not exist at "
                    + before.instant() + ": its first commit was recorded at " + before.firstRecordedAt())
                    .with(AT, before.instant().toString())
                    .with("firstRecordedAt", before.firstRecordedAt().toString()));
        }
        throw new ProblemException(doesNotExist(id));
    }

    private Map<String, Object> shown(String id, Snapshot<S> found) {
        Map<String, Object> shown = new LinkedHashMap<>(type.view().show(id, found.state()));
        if (shown.containsKey("revision")) {
            throw new IllegalStateException("the view of " + type + " shows a field 'revision', which is Cairn's");
        }
        shown.put("revision", found.revision());
        return shown;
    }

    private Problem doesNotExist(String id) {
        return notFound(id, type.category() + " '" + id + "' does not exist: no command has succeeded on it");
    }

    /** {@code ?revision=}: a positive integer. */
    private static long revision(String value) {
        if (POSITIVE.matcher(value).matches()) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException tooLarge) {
                // falls through to the same answer as any other bad value
            }
        }
        throw new InvalidInputException(REVISION, "revision must be a positive integer, was '"
                + StreamController.abbreviate(value) + "'");
    }

    /** {@code ?at=}: an ISO-8601 date and time with an offset ({@code Z} or {@code +01:00}). */
    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(AT, "at must be an ISO-8601 instant such as 2026-12-01T10:00:00Z "
                    + "(an offset's '+' written %2B in a URL), was '" + StreamController.abbreviate(value) + "'");
        }
    }

    /** The OpenAPI entry of {@code POST /{collection}/{id}/{name}}. */
    Operation commandOperation(String name) {
        String collection = type.collection();
        return Operation.of(collection, name + " (a command on " + collection + ")")
                .description("Reads the body as the command '" + name + "' of the " + collection + ", decides it on "
                        + "the aggregate's current state and appends its events. The Idempotency-Key is the command id: "
                        + "a repeat answers the original revision and appends nothing. The commit's metadata records "
                        + "the caller as principal.")
                .pathParameter("id", "the " + type.category() + "'s id: 1-" + maxIdLength
                        + " characters of [A-Za-z0-9._:-]")
                .header(IdempotentPosts.HEADER, OpenApi.string().put("format", "uuid"),
                        "the command id; a repeat of the same request is answered from the first")
                .body(type.command(name).flatMap(CommandReader::bodyType).map(RecordSchemas::of)
                                .orElseGet(() -> OpenApi.anyJson().put("type", "object")),
                        "the command's JSON, as the " + collection + " domain reads it; unknown fields are refused")
                .answer(200, "accepted (or a replay: Idempotent-Replayed: true)", OpenApi.object(
                        type.idField(), OpenApi.string(), "revision", OpenApi.integer(), "token", OpenApi.string()))
                .problems(400, 404, 409, 413, 415, 422, 503);
    }

    /** The OpenAPI entry of {@code GET /{collection}/{id}}. */
    Operation queryOperation() {
        String collection = type.collection();
        return Operation.of(collection, "The state of one of the " + collection)
                .description("eventual (the default) answers from the view; strong folds in every commit stored "
                        + "after it, so it reflects every acknowledged command. With revision or at (one of them, "
                        + "without consistency), the state as it was then (time travel), folded from the nearest "
                        + "snapshot at or below it: 400 revision-beyond-stream (with currentRevision) for a revision "
                        + "past the last commit, 404 for an instant before the first commit.")
                .pathParameter("id", "the " + type.category() + "'s id")
                .query("consistency", enumOf("eventual", "strong"), "eventual (default) or strong")
                .query(REVISION, OpenApi.integer().put("minimum", 1),
                        "the state as it was at this revision (1 to the current revision)")
                .query(AT, OpenApi.string().put("format", "date-time"),
                        "the state as it was at this instant (ISO-8601, e.g. 2026-12-01T10:00:00Z): after the last "
                                + "commit recorded at or before it")
                .answer(200, "the state as the domain shows it, plus revision",
                        OpenApi.object("revision", OpenApi.integer()).put("additionalProperties", true))
                .problems(400, 404, 503);
    }

    static com.fasterxml.jackson.databind.node.ObjectNode enumOf(String... values) {
        var schema = OpenApi.string();
        var list = schema.putArray("enum");
        for (String value : values) {
            list.add(value);
        }
        return schema;
    }

    /** A business rule refused a command: 422 with its reason, or the status the domain mapped the reason to. */
    private Problem rejection(String id, Rejection rejection) {
        int status = type.statusOf(rejection.reason());
        if (status == 404) {
            return notFound(id, rejection.detail()).with("reason", rejection.reason());
        }
        String slug = rejection.reason().replace('_', '-').toLowerCase(Locale.ROOT);
        return Problem.of(status, slug, title(rejection.reason()), rejection.detail())
                .with("reason", rejection.reason());
    }

    private Problem notFound(String id, String detail) {
        String category = type.category();
        return Problem.of(404, category.toLowerCase(Locale.ROOT) + "-not-found",
                Character.toUpperCase(category.charAt(0)) + category.substring(1) + " not found", detail)
                .with(type.idField(), id);
    }

    /** The path's id, checked to make a valid stream id. */
    private String id(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            type.streamOf(id);
            return id;
        } catch (InvalidInputException e) {
            throw new InvalidInputException(type.idField(), "an id of " + type.collection() + " must be 1-"
                    + maxIdLength + " characters of [A-Za-z0-9._:-]");
        }
    }

    private static Consistency consistency(String value) {
        if (value == null || value.equals("eventual")) {
            return Consistency.EVENTUAL;
        }
        if (value.equals("strong")) {
            return Consistency.STRONG;
        }
        throw new InvalidInputException("consistency", "consistency must be 'eventual' or 'strong'");
    }

    private static String title(String reason) {
        String words = reason.replace('_', ' ');
        return words.isEmpty() ? "Rejected" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
