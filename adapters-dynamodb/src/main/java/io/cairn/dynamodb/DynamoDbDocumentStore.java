package io.cairn.dynamodb;

import static io.cairn.dynamodb.CommitItems.longOf;
import static io.cairn.dynamodb.CommitItems.number;
import static io.cairn.dynamodb.CommitItems.string;
import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One document projection's documents and per-stream states on DynamoDB.
 *
 * <p><b>Items.</b> Documents are items of the documents table: partition key {@code p} (S) the projection's name,
 * sort key {@code k} (S) the document's key, {@code body} (S) the JSON text, {@code v} (N) the version. DynamoDB
 * orders a partition's sort keys by their UTF-8 bytes, which is the listing's order. The per-stream states are views
 * in the views table under the view name {@code <projection>.streams}, in {@link DynamoDbViewStore}'s format and with
 * its conditions; the checkpoint is {@link DynamoDbCheckpointStore}'s item.
 *
 * <p><b>Writes.</b> {@link #write} is one {@code TransactWriteItems}: per document a {@code Put} or {@code Delete}
 * conditional on its version ({@code attribute_not_exists(p)} when 0 is expected, {@code v = :expected} otherwise; a
 * put stores version {@code expected + 1}), per state {@link DynamoDbViewStore#conditionalPut}, and the unconditional
 * put of the checkpoint, when there is one: all of it is written or none. A transaction DynamoDB cancels on a failed
 * condition returns false; one cancelled by a conflicting transaction or throttling is tried again
 * ({@value #ATTEMPTS} attempts in all, jittered backoff from {@link #BACKOFF}), then throws
 * {@link StoreUnavailableException}. Each attempt has a client request token of its own, so that the SDK's own retry
 * of an attempt whose response was lost is answered as the first, not refused by its own conditions; a write whose
 * answer is lost altogether throws {@link StoreUnavailableException} having written all or nothing, and the caller
 * reads to know which. One write takes at most {@value #MAX_ITEMS_PER_WRITE}
 * items (documents, states and checkpoint together) of at most {@value #MAX_BYTES_PER_WRITE} bytes: DynamoDB's
 * limits for one transaction, which the caller meets by splitting its batches
 * ({@link DynamoDbStores#MAX_ITEMS_PER_DOCUMENT_WRITE}).
 *
 * <p><b>Sizes.</b> A document item is at most DynamoDB's 400 KB; {@link #maxDocumentBytes()} is what is left of it
 * for the body of the largest item the projection can have (its name, the longest key, the largest version), so that
 * every document no larger is kept under any key. Keys are at most {@value #MAX_KEY_BYTES} bytes of UTF-8, DynamoDB's
 * limit for a sort key. Both are checked before any call.
 *
 * <p><b>Reads</b> are consistent: {@code GetItem}, {@code BatchGetItem} (unprocessed keys asked for again) and, for
 * {@link #list}, a {@code Query} of the projection's partition ({@code begins_with} the prefix, or {@code k > after}
 * when {@code after} is at or past the prefix) that stops at the first key outside the prefix and reads one document
 * more than the page to know whether another follows.
 *
 * <p><b>Throughput.</b> All of a projection's documents are one partition key, so on DynamoDB one projection's
 * document writes are bounded by what one partition takes (1,000 write units a second, a transactional write costing
 * two per KB) and its listings by one partition's reads; the states spread over the views table's partitions.
 *
 * <p>Thread-safe: it holds no mutable state; DynamoDB's conditions order concurrent writers.
 *
 * @param <S> the per-stream state type
 */
final class DynamoDbDocumentStore<S> implements DocumentStore<S> {

    static final String PROJECTION = "p";
    static final String KEY = "k";
    static final String BODY = "body";
    static final String VERSION = "v";

    /** The most items one transaction writes, DynamoDB's limit. */
    static final int MAX_ITEMS_PER_WRITE = 100;
    /** The most bytes of items one transaction writes, DynamoDB's limit. */
    static final long MAX_BYTES_PER_WRITE = 4L * 1024 * 1024;
    /** The longest sort key DynamoDB keeps, in bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;
    /** The longest projection name: its states' view name, {@code <projection>.streams}, is at most 200 characters. */
    static final int MAX_PROJECTION_LENGTH = 192;
    static final int ATTEMPTS = 4;
    static final Duration BACKOFF = Duration.ofMillis(20);

    private static final String STATES_SUFFIX = ".streams";
    private static final Pattern PROJECTION_NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_PROJECTION_LENGTH + "}");
    /** The cancellation reasons that say "try again", not "this cannot be written". */
    private static final Set<String> TRANSIENT = Set.of("TransactionConflict", "ProvisionedThroughputExceeded",
            "ThrottlingError", "RequestLimitExceeded");
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private final DynamoDbCalls calls;
    private final String table;
    private final String projection;
    private final DynamoDbViewStore<S> states;
    private final DynamoDbCheckpointStore checkpoints;
    private final long maxDocumentBytes;

    /**
     * @param table       the documents table
     * @param projection  see {@link #statesView}
     * @param states      the views named {@link #statesView statesView(projection)}
     * @param checkpoints where {@link #write} saves the projection's checkpoint
     */
    DynamoDbDocumentStore(DynamoDbCalls calls, String table, String projection, DynamoDbViewStore<S> states,
                          DynamoDbCheckpointStore checkpoints) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
        statesView(projection);
        this.projection = projection;
        this.states = requireNonNull(states, "states must not be null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        Map<String, AttributeValue> largestOtherAttributes = Map.of(
                PROJECTION, AttributeValue.fromS(projection),
                KEY, AttributeValue.fromS("k".repeat(MAX_KEY_BYTES)),
                BODY, AttributeValue.fromS(""),
                VERSION, number(Long.MAX_VALUE));
        this.maxDocumentBytes = ItemSize.LIMIT - ItemSize.of(largestOtherAttributes);
    }

    /**
     * The view name of the projection's per-stream states in the views table.
     *
     * @param projection 1-{@value #MAX_PROJECTION_LENGTH} characters of {@code [A-Za-z0-9._-]}
     * @throws IllegalArgumentException for another name
     */
    static String statesView(String projection) {
        requireNonNull(projection, "projection must not be null");
        if (!PROJECTION_NAME.matcher(projection).matches()) {
            throw new IllegalArgumentException("a projection name must be 1-" + MAX_PROJECTION_LENGTH
                    + " characters of [A-Za-z0-9._-], was '" + projection + "'");
        }
        return projection + STATES_SUFFIX;
    }

    @Override
    public String projection() {
        return projection;
    }

    @Override
    public int maxItemsPerWrite() {
        return MAX_ITEMS_PER_WRITE;
    }

    /** Of the transaction's 4 MB, what the documents may take; the rest is for the states and the checkpoint. */
    @Override
    public long maxBytesPerWrite() {
        return MAX_BYTES_PER_WRITE - 1024L * 1024;
    }

    @Override
    public long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    @Override
    public Optional<StoredDocument> document(String key) {
        requireNonNull(key, "key must not be null");
        if (ItemSize.utf8Length(key) > MAX_KEY_BYTES) {
            return Optional.empty(); // never written
        }
        Map<String, AttributeValue> item = calls.getItem(GetItemRequest.builder().tableName(table)
                .consistentRead(true).key(key(key)).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(document(item));
    }

    @Override
    public Map<String, StoredDocument> documents(Set<String> keys) {
        requireNonNull(keys, "keys must not be null");
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " keys at once, not " + keys.size());
        }
        List<Map<String, AttributeValue>> wanted = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (ItemSize.utf8Length(requireNonNull(key, "a key must not be null")) <= MAX_KEY_BYTES) {
                wanted.add(key(key));
            }
        }
        Map<String, StoredDocument> found = new HashMap<>();
        int fruitless = 0;
        while (!wanted.isEmpty()) {
            BatchGetItemResponse response = calls.batchGetItem(BatchGetItemRequest.builder().requestItems(Map.of(
                    table, KeysAndAttributes.builder().keys(wanted).consistentRead(true).build())).build());
            List<Map<String, AttributeValue>> items = response.responses().getOrDefault(table, List.of());
            for (Map<String, AttributeValue> item : items) {
                StoredDocument document = document(item);
                found.put(document.key(), document);
            }
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            wanted = unprocessed == null ? List.of() : unprocessed.keys();
            if (!wanted.isEmpty()) {
                // DynamoDB leaves keys unprocessed when throttled or past 16 MB of answer: ask again for those
                fruitless = items.isEmpty() ? fruitless + 1 : 0;
                if (fruitless == ATTEMPTS) {
                    throw new StoreUnavailableException("DynamoDB left " + wanted.size() + " documents of "
                            + projection + " unread in " + ATTEMPTS + " BatchGetItem calls on " + table, null);
                }
                pause(fruitless);
            }
        }
        return found;
    }

    @Override
    public DocumentPage list(String prefix, Optional<String> after, int limit) {
        requireNonNull(prefix, "prefix must not be null");
        requireNonNull(after, "after must not be null");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
        }
        if (ItemSize.utf8Length(prefix) > MAX_KEY_BYTES) {
            return new DocumentPage(List.of(), Optional.empty()); // no key is that long
        }
        Map<String, String> names = new HashMap<>(Map.of("#p", PROJECTION));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", AttributeValue.fromS(projection)));
        String condition = "#p = :p";
        if (after.isPresent() && compareUtf8(after.get(), prefix) >= 0) {
            // past the start of the prefix's keys: start after it (an 'after' before the prefix starts at the prefix)
            names.put("#k", KEY);
            values.put(":after", AttributeValue.fromS(atMostKeyBytes(after.get())));
            condition += " AND #k > :after";
        } else if (!prefix.isEmpty()) {
            names.put("#k", KEY);
            values.put(":prefix", AttributeValue.fromS(prefix));
            condition += " AND begins_with(#k, :prefix)";
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values);
        List<StoredDocument> page = new ArrayList<>(limit + 1);
        Map<String, AttributeValue> start = null;
        boolean past = false;
        do {
            QueryResponse response = calls.query(query.exclusiveStartKey(start).limit(limit + 1 - page.size())
                    .build());
            for (Map<String, AttributeValue> item : response.items()) {
                String key = string(item, KEY);
                if (after.isPresent() && compareUtf8(key, after.get()) <= 0) {
                    continue; // only when 'after' was cut to the longest key: keys between the cut and it
                }
                if (!key.startsWith(prefix)) {
                    past = true;
                    break;
                }
                page.add(document(item));
            }
            past |= page.size() == limit + 1;
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (!past && start != null);
        if (page.size() > limit) {
            List<StoredDocument> shown = page.subList(0, limit);
            return new DocumentPage(shown, Optional.of(shown.get(limit - 1).key()));
        }
        return new DocumentPage(page, Optional.empty());
    }

    /**
     * @throws IllegalArgumentException  also when the write has more than {@value #MAX_ITEMS_PER_WRITE} items or
     *                                   {@value #MAX_BYTES_PER_WRITE} bytes, or a key more than
     *                                   {@value #MAX_KEY_BYTES} bytes of UTF-8; nothing written
     * @throws IllegalStateException     when DynamoDB refuses the transaction for another reason than a condition,
     *                                   a conflict or throttling; nothing written
     */
    @Override
    public boolean write(List<DocumentWrite> documents, List<ViewWrite<S>> stateWrites,
                         Optional<Checkpoint> checkpoint) {
        requireNonNull(documents, "documents must not be null");
        requireNonNull(stateWrites, "states must not be null");
        requireNonNull(checkpoint, "checkpoint must not be null");
        int count = documents.size() + stateWrites.size() + (checkpoint.isPresent() ? 1 : 0);
        if (count == 0) {
            return true;
        }
        if (count > MAX_ITEMS_PER_WRITE) {
            throw new IllegalArgumentException("one write of projection " + projection + " takes at most "
                    + MAX_ITEMS_PER_WRITE + " items (documents, states and checkpoint), DynamoDB's limit for a "
                    + "transaction; this one has " + count + ": split it");
        }
        List<TransactWriteItem> actions = new ArrayList<>(count);
        Set<String> keys = new HashSet<>();
        for (DocumentWrite write : documents) {
            requireNonNull(write, "a document write must not be null");
            if (!keys.add(write.key())) {
                throw new IllegalArgumentException("two writes for document '" + write.key() + "' in one batch");
            }
            actions.add(write instanceof DocumentWrite.Put put
                    ? TransactWriteItem.builder().put(put(put)).build()
                    : TransactWriteItem.builder().delete(delete((DocumentWrite.Delete) write)).build());
        }
        Set<StreamId> streams = new HashSet<>();
        for (ViewWrite<S> write : stateWrites) {
            requireNonNull(write, "a state write must not be null");
            if (!streams.add(write.view().stream())) {
                throw new IllegalArgumentException("two states for " + write.view().stream() + " in one batch");
            }
            actions.add(TransactWriteItem.builder().put(states.conditionalPut(write.view(), write.replacing()))
                    .build());
        }
        checkpoint.ifPresent(c -> actions.add(TransactWriteItem.builder().put(checkpoints.put(projection, c))
                .build()));
        long bytes = 0;
        for (TransactWriteItem action : actions) {
            bytes += ItemSize.of(action.put() != null ? action.put().item() : action.delete().key());
        }
        if (bytes > MAX_BYTES_PER_WRITE) {
            throw new IllegalArgumentException("one write of projection " + projection + " takes at most "
                    + MAX_BYTES_PER_WRITE + " bytes of items, DynamoDB's limit for a transaction; this one has "
                    + bytes + ": split it");
        }
        return transact(actions);
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        return states.get(stream);
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        return states.put(view, replacing);
    }

    private boolean transact(List<TransactWriteItem> actions) {
        for (int attempt = 1; ; attempt++) {
            try {
                calls.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(actions)
                        .clientRequestToken(UUID.randomUUID().toString()).build());
                return true;
            } catch (TransactionCanceledException e) {
                List<String> reasons = e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(CancellationReason::code).toList() : List.of();
                if (reasons.contains(CONDITION_FAILED)) {
                    return false;
                }
                if (!isTransient(reasons)) {
                    throw new IllegalStateException("DynamoDB refused the write of projection " + projection
                            + ": " + reasons + " " + e.getMessage(), e);
                }
                if (attempt == ATTEMPTS) {
                    throw new StoreUnavailableException("DynamoDB cancelled the write of projection " + projection
                            + " " + ATTEMPTS + " times: " + reasons, e);
                }
                pause(attempt);
            }
        }
    }

    /** True when some reason is transient and none is another fault ("None": that item was not the cause). */
    private static boolean isTransient(List<String> reasons) {
        return reasons.stream().anyMatch(TRANSIENT::contains)
                && reasons.stream().allMatch(reason -> reason.equals("None") || TRANSIENT.contains(reason));
    }

    private Put put(DocumentWrite.Put write) {
        Map<String, AttributeValue> item = new HashMap<>(key(write.key()));
        item.put(BODY, AttributeValue.fromS(write.json()));
        item.put(VERSION, number(write.expectedVersion() + 1));
        long bytes = ItemSize.utf8Length(write.json());
        if (bytes > maxDocumentBytes) {
            throw new DocumentTooLargeException(projection, write.key(), bytes, maxDocumentBytes);
        }
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (write.expectedVersion() == 0) {
            put.conditionExpression("attribute_not_exists(#p)").expressionAttributeNames(Map.of("#p", PROJECTION));
        } else {
            put.conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":expected", number(write.expectedVersion())));
        }
        return put.build();
    }

    private Delete delete(DocumentWrite.Delete write) {
        return Delete.builder().tableName(table).key(key(write.key()))
                .conditionExpression("#v = :expected").expressionAttributeNames(Map.of("#v", VERSION))
                .expressionAttributeValues(Map.of(":expected", number(write.expectedVersion())))
                .build();
    }

    /**
     * {@inheritDoc} The documents are the projection's partition: a {@code Query} of its keys, page by page, each
     * page deleted in {@code BatchWriteItem}s; then the states ({@link DynamoDbViewStore#deleteAll()}, a scan of the
     * views table) and the checkpoint.
     */
    @Override
    public void deleteAll() {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = calls.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#p = :p").projectionExpression("#p, #k")
                    .expressionAttributeNames(Map.of("#p", PROJECTION, "#k", KEY))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(projection)))
                    .exclusiveStartKey(startKey).build());
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                keys.add(Map.of(PROJECTION, item.get(PROJECTION), KEY, item.get(KEY)));
            }
            calls.deleteAll(table, keys);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        states.deleteAll();
        checkpoints.delete(projection);
    }

    /** @throws IllegalArgumentException when the key is longer than DynamoDB keeps */
    private Map<String, AttributeValue> key(String key) {
        long bytes = ItemSize.utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("document key '" + key + "' of projection " + projection + " is "
                    + bytes + " bytes of UTF-8; DynamoDB keeps keys of at most " + MAX_KEY_BYTES);
        }
        return Map.of(PROJECTION, AttributeValue.fromS(projection), KEY, AttributeValue.fromS(key));
    }

    private static StoredDocument document(Map<String, AttributeValue> item) {
        return new StoredDocument(string(item, KEY), string(item, BODY), longOf(item, VERSION));
    }

    /** The longest start of {@code key} that DynamoDB takes as a sort key value, cut between characters. */
    private static String atMostKeyBytes(String key) {
        int bytes = 0;
        int end = 0;
        while (end < key.length()) {
            int codePoint = key.codePointAt(end);
            int length = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + length > MAX_KEY_BYTES) {
                break;
            }
            bytes += length;
            end += Character.charCount(codePoint);
        }
        return key.substring(0, end);
    }

    /** Compares as DynamoDB orders string keys: by UTF-8 bytes, which is by code points. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void pause(int attempt) {
        long ceiling = BACKOFF.toMillis() << (attempt - 1);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting to ask DynamoDB again", e);
        }
    }
}
