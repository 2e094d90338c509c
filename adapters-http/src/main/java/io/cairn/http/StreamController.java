package io.cairn.http;

import static io.cairn.http.RequestBodies.required;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.application.Streams;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.RecordedEvent;
import io.cairn.domain.StreamId;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code /streams/{stream}}: the raw stream API, to append commits of any events and read streams back. Thread-safe. */
final class StreamController {

    static final int DEFAULT_LIMIT = 100;
    /** The commit metadata key naming who made the commit; set by the server only. */
    static final String PRINCIPAL = "principal";
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final String EXPECTED_REVISION_RULE =
            "expectedRevision must be a revision >= 0 (0: the stream must not exist), \"no_stream\" or \"any\"";

    record AppendBody(JsonNode expectedRevision, String commitId, List<EventBody> events) {
    }

    record EventBody(String type, JsonNode data, JsonNode metadata, Integer version) {
    }

    record Appended(long revision, String token) {
    }

    record StreamView(String stream, long revision, List<CommitView> commits) {
    }

    record CommitView(long revision, String commitId, Map<String, String> metadata, List<EventView> events) {
    }

    record EventView(long eventNumber, String type, int version, @JsonRawValue String data,
                     @JsonRawValue String metadata, String recordedAt) {
    }

    private final Streams streams;
    private final RequestBodies bodies;
    private final Replies replies;
    private final Limits limits;

    StreamController(Streams streams, RequestBodies bodies, Replies replies, Limits limits) {
        this.streams = streams;
        this.bodies = bodies;
        this.replies = replies;
        this.limits = limits;
    }

    /**
     * {@code POST /streams/{stream} {"expectedRevision", "commitId"?, "events": [{"type", "data", "metadata"?,
     * "version"?}]}}
     * → 201 {@code {"revision","token"}} (the token: see {@link WriteToken}). The commit id is the body's, else the
     * Idempotency-Key, else a random one. The commit's metadata is the server's: {@code principal}, the caller. More
     * events than {@link Limits#eventsPerCommit()} or an event over {@link Limits#eventBytes()}: 413.
     */
    Reply append(Context ctx, byte[] body, Optional<UUID> key) throws IOException {
        StreamId stream = stream(ctx);
        AppendBody append = bodies.parse(body, AppendBody.class);
        ExpectedRevision expected = expectedRevision(append.expectedRevision());
        UUID commitId = commitId(append.commitId(), key);
        List<EventBody> events = required(append.events(), "events");
        if (events.isEmpty()) {
            throw new InvalidInputException("events", "events must hold at least one event");
        }
        if (events.size() > limits.eventsPerCommit()) {
            throw new ProblemException(ProblemMapper.tooManyEvents(events.size(), limits.eventsPerCommit()));
        }
        List<EventData> data = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventData event = eventData(events.get(i), "events[" + i + "]");
            if (event.approximateSize() > limits.eventBytes()) {
                throw new ProblemException(ProblemMapper.eventTooLarge("events[" + i + "]", event.approximateSize(),
                        limits.eventBytes()));
            }
            data.add(event);
        }
        Map<String, String> metadata = Map.of(PRINCIPAL, RequestGuard.principal(ctx).name());
        AppendResult result = streams.append(stream, expected, new Commit(commitId, data, metadata));
        Reply reply = replies.json(201, new Appended(result.revision(),
                new WriteToken(stream, result.revision()).encode()));
        return result.duplicate() ? reply.withHeader(IdempotencyCache.REPLAYED_HEADER, "true") : reply;
    }

    /**
     * {@code GET /streams/{stream}?fromRevision=1&limit=100}: up to {@code limit} commits from
     * {@code fromRevision}, and the stream's current revision; 404 for a stream without commits. The events of an
     * aggregate's stream show as the current version of their type (upcast), those of other streams as stored.
     */
    Reply read(Context ctx) {
        StreamId stream = stream(ctx);
        long from = integerParam(ctx, "fromRevision", 1);
        if (from < 1) {
            throw new InvalidInputException("fromRevision", "fromRevision must be >= 1, was " + from);
        }
        int limit = limitParam(ctx, EventStore.MAX_SLICE);
        StreamSlice slice = streams.read(stream, from, limit);
        long revision;
        if (slice.endOfStream() && !slice.commits().isEmpty()) {
            revision = slice.lastRevision(); // the slice reached the end: no second round trip to the store
        } else {
            // read after the slice, so that the revision is never behind the commits returned
            long lastRead = slice.commits().isEmpty() ? 0 : slice.lastRevision();
            revision = Math.max(streams.revision(stream), lastRead);
        }
        if (revision == 0) {
            throw new ProblemException(ProblemMapper.streamNotFound(stream.value()));
        }
        List<CommitView> commits = new ArrayList<>(slice.commits().size());
        for (RecordedCommit commit : slice.commits()) {
            commits.add(view(commit));
        }
        return replies.json(200, new StreamView(stream.value(), revision, commits));
    }

    private EventData eventData(EventBody event, String at) throws IOException {
        if (event == null) {
            throw new InvalidInputException(at, at + " must be an object");
        }
        String type = required(event.type(), at + ".type");
        JsonNode data = required(event.data(), at + ".data");
        JsonNode metadata = event.metadata();
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidInputException(at + ".metadata", at + ".metadata must be a JSON object");
        }
        if (metadata != null && metadata.has(PRINCIPAL)) {
            // the principal is the server's word (in the commit's metadata): a client's own would pass for it
            throw new InvalidInputException(at + ".metadata." + PRINCIPAL, at + ".metadata must not hold '"
                    + PRINCIPAL + "': the server records who appended, in the commit's metadata");
        }
        String metadataText = metadata == null || metadata.isNull() ? EventData.EMPTY_OBJECT : bodies.text(metadata);
        try {
            int version = event.version() == null ? EventData.FIRST_VERSION : event.version();
            return new EventData(type, bodies.text(data), metadataText, version);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(at + "." + e.field(), e.getMessage());
        }
    }

    private static CommitView view(RecordedCommit commit) {
        return new CommitView(commit.revision(), commit.commitId().toString(), new java.util.TreeMap<>(commit.metadata()),
                events(commit));
    }

    static List<EventView> events(RecordedCommit commit) {
        List<EventView> events = new ArrayList<>(commit.events().size());
        for (RecordedEvent event : commit.recordedEvents()) {
            events.add(new EventView(event.eventNumber(), event.event().type(), event.event().version(),
                    event.event().data(), event.event().metadata(), event.recordedAt().toString()));
        }
        return events;
    }

    /** The OpenAPI entry of {@code POST /streams/{stream}}. */
    static Operation appendOperation() {
        return Operation.of("streams", "Append a commit to a raw stream")
                .description("Appends 1 or more events atomically, if the stream is at the expected revision. Streams of "
                        + "a registered aggregate's category are refused (400): only its commands write them. The "
                        + "commit id is the body's commitId, else the Idempotency-Key; a repeat stores nothing twice. "
                        + "The commit's metadata records the caller as principal.")
                .pathParameter("stream", "the stream id: 1-" + StreamId.MAX_LENGTH + " characters of [A-Za-z0-9._:-]")
                .header(IdempotentPosts.HEADER, OpenApi.string().put("format", "uuid"), "the commit id, unless the "
                        + "body names one")
                .body(OpenApi.schema("StreamAppend"), "the commit")
                .answer(201, "appended (or a repeat: Idempotent-Replayed: true)", OpenApi.schema("Appended"))
                .problems(400, 409, 413, 415, 422, 503);
    }

    /** The OpenAPI entry of {@code GET /streams/{stream}}. */
    static Operation readOperation() {
        return Operation.of("streams", "Read a stream's commits")
                .description("The events of a registered aggregate's stream show as the current version of their type "
                        + "(upcast, as the aggregate reads them); those of other streams as stored.")
                .pathParameter("stream", "the stream id")
                .query("fromRevision", OpenApi.integer().put("minimum", 1), "the first revision to read (default 1)")
                .query("limit", OpenApi.integer().put("minimum", 1).put("maximum", EventStore.MAX_SLICE),
                        "commits to read at most (default " + DEFAULT_LIMIT + ")")
                .answer(200, "the commits and the stream's revision", OpenApi.schema("StreamPage"))
                .problems(400, 404, 503);
    }

    private static StreamId stream(Context ctx) {
        return StreamId.of(ctx.pathParam("stream"));
    }

    static ExpectedRevision expectedRevision(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidInputException("expectedRevision", "expectedRevision is required: "
                    + EXPECTED_REVISION_RULE.substring("expectedRevision must be ".length()));
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            return ExpectedRevision.exactly(node.longValue());
        }
        if (node.isTextual() && node.textValue().equals("no_stream")) {
            return ExpectedRevision.NO_STREAM;
        }
        if (node.isTextual() && node.textValue().equals("any")) {
            return ExpectedRevision.ANY;
        }
        throw new InvalidInputException("expectedRevision", EXPECTED_REVISION_RULE + ", was " + abbreviate(node.toString()));
    }

    /** The body's commit id, else the header's key, else a random one; both given must agree. */
    private static UUID commitId(String fromBody, Optional<UUID> key) {
        if (fromBody == null) {
            return key.orElseGet(UUID::randomUUID);
        }
        if (!IdempotentPosts.isUuidText(fromBody)) {
            throw new InvalidInputException("commitId", "commitId must be a UUID, was '" + abbreviate(fromBody) + "'");
        }
        UUID commitId = UUID.fromString(fromBody);
        if (key.isPresent() && !key.get().equals(commitId)) {
            throw new InvalidInputException("commitId", "commitId " + commitId + " differs from the "
                    + IdempotentPosts.HEADER + " " + key.get() + "; send one of them, or the same value in both");
        }
        return commitId;
    }

    /** The {@code limit} query parameter: {@link #DEFAULT_LIMIT} when absent, else 1 to {@code max}. */
    static int limitParam(Context ctx, int max) {
        long limit = integerParam(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > max) {
            throw new InvalidInputException("limit", "limit must be 1-" + max + ", was " + limit);
        }
        return (int) limit;
    }

    static long integerParam(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        if (!INTEGER.matcher(value).matches()) {
            throw new InvalidInputException(name, name + " must be an integer, was '" + abbreviate(value) + "'");
        }
        return Long.parseLong(value);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
