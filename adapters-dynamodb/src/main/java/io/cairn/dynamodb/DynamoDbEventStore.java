package io.cairn.dynamodb;

import static io.cairn.dynamodb.CommitItems.REVISION;
import static io.cairn.dynamodb.CommitItems.STREAM;
import static io.cairn.dynamodb.CommitItems.number;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.CommitTooLargeException;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.EventStores;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Streams in one DynamoDB table: partition key = stream, sort key = revision, one item per commit whose events
 * and metadata are one encoded body ({@link CommitItems}, {@link CommitBody}); the snapshot item sits at sort key 0.
 *
 * <p><b>Append</b> is one conditional {@code PutItem} ({@code attribute_not_exists}) at revision
 * {@code expected + 1}, no transaction. When the revision is taken, DynamoDB hands back the item there
 * ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}): the same commit id makes the append an idempotent
 * success, another one a {@link WrongExpectedRevision} whose actual revision a consistent query finds (on that
 * conflict path only). {@link ExpectedRevision#ANY} reads the stream's last {@value EventStore#ANY_IDEMPOTENCY_WINDOW}
 * commits (one consistent query) to find the head and a retried commit id, then puts as above, again on a race.
 *
 * <p><b>Event numbers.</b> Each commit item stores its first event number; the next one is found in a bounded
 * cache of (stream, revision) → next event number, filled by appends and reads. Items never change, so an entry
 * never goes stale. On a miss, a consistent {@code GetItem} of the item at the expected revision answers it (and
 * proves the stream reached that revision). So a warm append is exactly one write and no read.
 *
 * <p><b>Size.</b> A commit over {@link EventStore#MAX_COMMIT_BYTES} (as {@link Commit#approximateSize()} counts) is
 * refused before anything else; so is one whose encoded item would exceed DynamoDB's 400 KB item limit. Either
 * way nothing is stored. Reads are strongly consistent. Thread-safe.
 */
final class DynamoDbEventStore implements EventStore {

    /** How often an ANY append re-reads the head after losing a race before it reports a conflict. */
    static final int ANY_ATTEMPTS = 10;

    private final DynamoDbCalls calls;
    private final String table;
    private final Clock clock;
    private final long itemLimit;
    private final Cache<Head, Long> nextEventNumbers;

    DynamoDbEventStore(DynamoDbCalls calls, String table, Clock clock, long itemLimit, long headCacheSize) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        if (itemLimit < 1 || itemLimit > ItemSize.LIMIT) {
            throw new IllegalArgumentException("itemLimit must be 1.." + ItemSize.LIMIT + ", was " + itemLimit);
        }
        this.itemLimit = itemLimit;
        this.nextEventNumbers = Caffeine.newBuilder().maximumSize(headCacheSize).build();
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        EventStores.checkAppend(stream, expected, commit);
        CommitBody.Encoded body = CommitBody.encode(commit);
        if (expected instanceof ExpectedRevision.Any) {
            return appendAtHead(stream, commit, body);
        }
        long at = expected.toRevision().orElseThrow();
        long first = nextEventNumberAt(stream, at, expected);
        return put(stream, at + 1, first, commit, body).orElseThrow(() -> conflict(stream, expected));
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        EventStores.checkRead(stream, fromRevision, maxCommits);
        int wanted = Math.min(maxCommits, MAX_SLICE);
        // one commit more than wanted tells whether the slice ends the stream, usually within the same 4 KB read unit
        List<Map<String, AttributeValue>> items = new ArrayList<>(Math.min(wanted + 1, 64));
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = calls.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#s = :s AND #r >= :from")
                    .expressionAttributeNames(Map.of("#s", STREAM, "#r", REVISION))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(stream.value()),
                            ":from", number(fromRevision)))
                    .limit(wanted + 1 - items.size())
                    .exclusiveStartKey(startKey)
                    .build());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && items.size() <= wanted);
        boolean endOfStream = items.size() <= wanted;
        List<RecordedCommit> commits = new ArrayList<>(Math.min(items.size(), wanted));
        for (Map<String, AttributeValue> item : items.subList(0, Math.min(items.size(), wanted))) {
            commits.add(CommitItems.toCommit(item));
        }
        if (!commits.isEmpty()) {
            remember(commits.get(commits.size() - 1));
        }
        return new StreamSlice(stream, fromRevision, commits, endOfStream);
    }

    /**
     * {@inheritDoc} One consistent query over the sort key range {@code BETWEEN fromRevision AND toRevision}, limited
     * to the commits wanted: DynamoDB reads (and charges) no item past the bound.
     */
    @Override
    public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        int wanted = EventStores.checkReadUpTo(stream, fromRevision, toRevision, maxCommits);
        List<Map<String, AttributeValue>> items = new ArrayList<>(Math.min(wanted, 64));
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = calls.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#s = :s AND #r BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#s", STREAM, "#r", REVISION))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(stream.value()),
                            ":from", number(fromRevision), ":to", number(toRevision)))
                    .limit(wanted - items.size())
                    .exclusiveStartKey(startKey)
                    .build());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && items.size() < wanted);
        List<RecordedCommit> commits = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            commits.add(CommitItems.toCommit(item));
        }
        if (!commits.isEmpty()) {
            remember(commits.get(commits.size() - 1));
        }
        return new StreamSlice(stream, fromRevision, commits, commits.size() < wanted);
    }

    @Override
    public long revision(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        List<Map<String, AttributeValue>> last = lastCommits(stream, 1);
        return last.isEmpty() ? 0 : CommitItems.revision(last.get(0));
    }

    /** ANY: the head and the recent commit ids from one query, then a put after the head; again on a lost race. */
    private AppendResult appendAtHead(StreamId stream, Commit commit, CommitBody.Encoded body) {
        for (int attempt = 0; attempt < ANY_ATTEMPTS; attempt++) {
            List<Map<String, AttributeValue>> recent = lastCommits(stream, ANY_IDEMPOTENCY_WINDOW);
            for (Map<String, AttributeValue> item : recent) {
                if (CommitItems.commitId(item).equals(commit.commitId())) {
                    return duplicate(item);
                }
            }
            long head = recent.isEmpty() ? 0 : CommitItems.revision(recent.get(0));
            long first = recent.isEmpty() ? 1 : CommitItems.nextEventNumber(recent.get(0));
            Optional<AppendResult> result = put(stream, head + 1, first, commit, body);
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw conflict(stream, ExpectedRevision.ANY);
    }

    /**
     * Puts the commit at {@code revision} unless that revision is taken. Empty when another commit holds it; a
     * duplicate when this commit does.
     */
    private Optional<AppendResult> put(StreamId stream, long revision, long firstEventNumber, Commit commit,
                        CommitBody.Encoded body) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        RecordedCommit recorded = CommitItems.recorded(stream, revision, firstEventNumber, commit, now);
        Map<String, AttributeValue> item = CommitItems.toItem(recorded, body);
        long itemSize = ItemSize.of(item);
        if (itemSize > itemLimit) {
            throw new CommitTooLargeException(stream, itemSize, itemLimit);
        }
        try {
            calls.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#r)")
                    .expressionAttributeNames(Map.of("#r", REVISION))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
            if (!old.isEmpty() && CommitItems.commitId(old).equals(commit.commitId())) {
                return Optional.of(duplicate(old));
            }
            return Optional.empty();
        }
        remember(recorded);
        return Optional.of(new AppendResult(recorded, false));
    }

    private AppendResult duplicate(Map<String, AttributeValue> item) {
        RecordedCommit original = CommitItems.toCommit(item);
        remember(original);
        return new AppendResult(original, true);
    }

    /**
     * The first event number of the commit after revision {@code at}: from the cache, else from the item at
     * {@code at}, whose absence means the stream is not at {@code at}.
     */
    private long nextEventNumberAt(StreamId stream, long at, ExpectedRevision expected) {
        if (at == 0) {
            return 1;
        }
        Long cached = nextEventNumbers.getIfPresent(new Head(stream, at));
        if (cached != null) {
            return cached;
        }
        Map<String, AttributeValue> item = calls.getItem(GetItemRequest.builder().tableName(table).consistentRead(true).key(CommitItems.key(stream, at))
                .projectionExpression("#e, #n")
                .expressionAttributeNames(Map.of("#e", CommitItems.FIRST_EVENT_NUMBER, "#n", CommitItems.EVENT_COUNT))
                .build()).item();
        if (item == null || item.isEmpty()) {
            throw conflict(stream, expected);
        }
        long next = CommitItems.nextEventNumber(item);
        nextEventNumbers.put(new Head(stream, at), next);
        return next;
    }

    private void remember(RecordedCommit commit) {
        nextEventNumbers.put(new Head(commit.stream(), commit.revision()), commit.lastEventNumber() + 1);
    }

    private WrongExpectedRevision conflict(StreamId stream, ExpectedRevision expected) {
        return new WrongExpectedRevision(stream, expected, OptionalLong.of(revision(stream)));
    }

    /** The stream's last {@code n} commit items, newest first, by one consistent query. */
    private List<Map<String, AttributeValue>> lastCommits(StreamId stream, int n) {
        return calls.query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#s = :s AND #r > :snapshot")
                .expressionAttributeNames(Map.of("#s", STREAM, "#r", REVISION))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(stream.value()),
                        ":snapshot", number(CommitItems.SNAPSHOT_REVISION)))
                .scanIndexForward(false)
                .limit(n)
                .build()).items();
    }

    private record Head(StreamId stream, long revision) {
    }
}
