package io.cairn.dynamodb;

import io.cairn.domain.Commit;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The layout of the events table, and commit items to and from {@link RecordedCommit}s.
 *
 * <table>
 * <caption>events table attributes</caption>
 * <tr><th>attribute</th><th>type</th><th>on</th><th>meaning</th></tr>
 * <tr><td>{@code s}</td><td>S</td><td>all</td><td>partition key: the stream id</td></tr>
 * <tr><td>{@code r}</td><td>N</td><td>all</td><td>sort key: the commit's revision, 0 for the snapshot item</td></tr>
 * <tr><td>{@code c}</td><td>S</td><td>commit</td><td>commit id (UUID), the idempotency key</td></tr>
 * <tr><td>{@code e}</td><td>N</td><td>commit</td><td>event number of the commit's first event</td></tr>
 * <tr><td>{@code n}</td><td>N</td><td>commit</td><td>number of events, so {@code e + n} is the next commit's
 * first event number without decoding the body</td></tr>
 * <tr><td>{@code t}</td><td>N</td><td>commit</td><td>recorded at, epoch milliseconds</td></tr>
 * <tr><td>{@code enc}</td><td>S</td><td>commit</td><td>the body's encoding ({@link CommitBody})</td></tr>
 * <tr><td>{@code b}</td><td>B</td><td>commit</td><td>the body: events and commit metadata</td></tr>
 * <tr><td>{@code v}, ...</td><td></td><td>snapshot</td><td>see {@link StateItems}</td></tr>
 * </table>
 */
final class CommitItems {

    static final String STREAM = "s";
    static final String REVISION = "r";
    static final String COMMIT_ID = "c";
    static final String FIRST_EVENT_NUMBER = "e";
    static final String EVENT_COUNT = "n";
    static final String RECORDED_AT = "t";
    static final String ENCODING = "enc";
    static final String BODY = "b";

    /** The sort key of a stream's snapshot item, before its first commit. */
    static final long SNAPSHOT_REVISION = 0;

    private CommitItems() {
    }

    static Map<String, AttributeValue> key(StreamId stream, long revision) {
        return Map.of(STREAM, AttributeValue.fromS(stream.value()), REVISION, number(revision));
    }

    static Map<String, AttributeValue> toItem(RecordedCommit commit, CommitBody.Encoded body) {
        Map<String, AttributeValue> item = new HashMap<>(key(commit.stream(), commit.revision()));
        item.put(COMMIT_ID, AttributeValue.fromS(commit.commitId().toString()));
        item.put(FIRST_EVENT_NUMBER, number(commit.firstEventNumber()));
        item.put(EVENT_COUNT, number(commit.events().size()));
        item.put(RECORDED_AT, number(commit.recordedAt().toEpochMilli()));
        item.put(ENCODING, AttributeValue.fromS(body.encoding()));
        item.put(BODY, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(body.bytes())));
        return item;
    }

    /** The commit {@code commit} becomes when stored at {@code revision}, as a read returns it. */
    static RecordedCommit recorded(StreamId stream, long revision, long firstEventNumber, Commit commit,
                                   Instant recordedAt) {
        return RecordedCommit.of(stream, revision, firstEventNumber, commit, recordedAt, OptionalLong.empty());
    }

    /** True for an item holding a commit (not the snapshot item). */
    static boolean isCommit(Map<String, AttributeValue> item) {
        return item.containsKey(COMMIT_ID) && item.containsKey(REVISION) && revision(item) >= 1;
    }

    /** @throws IllegalStateException when the item is not a well-formed commit item */
    static RecordedCommit toCommit(Map<String, AttributeValue> item) {
        StreamId stream = StreamId.of(string(item, STREAM));
        long revision = revision(item);
        try {
            CommitBody.Decoded body = CommitBody.decode(string(item, ENCODING), binary(item, BODY));
            return new RecordedCommit(stream, revision, UUID.fromString(string(item, COMMIT_ID)),
                    longOf(item, FIRST_EVENT_NUMBER), body.events(), body.metadata(),
                    Instant.ofEpochMilli(longOf(item, RECORDED_AT)), OptionalLong.empty());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("commit " + stream + "@" + revision + " cannot be read: " + e.getMessage(), e);
        }
    }

    static UUID commitId(Map<String, AttributeValue> item) {
        return UUID.fromString(string(item, COMMIT_ID));
    }

    static long revision(Map<String, AttributeValue> item) {
        return longOf(item, REVISION);
    }

    /** The first event number of the commit after this commit item. */
    static long nextEventNumber(Map<String, AttributeValue> item) {
        return longOf(item, FIRST_EVENT_NUMBER) + longOf(item, EVENT_COUNT);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("item " + describe(item) + " has no string attribute " + name);
        }
        return value.s();
    }

    static long longOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw new IllegalStateException("item " + describe(item) + " has no number attribute " + name);
        }
        return Long.parseLong(value.n());
    }

    static byte[] binary(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.b() == null) {
            throw new IllegalStateException("item " + describe(item) + " has no binary attribute " + name);
        }
        return value.b().asByteArrayUnsafe();
    }

    private static String describe(Map<String, AttributeValue> item) {
        AttributeValue s = item.get(STREAM);
        AttributeValue r = item.get(REVISION);
        return (s == null ? "?" : s.s()) + "@" + (r == null ? "?" : r.n());
    }
}
