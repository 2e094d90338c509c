package io.cairn.dynamodb;

import static io.cairn.contracts.JsonAssertions.assertSameJson;
import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.contracts.TestState;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the DynamoDB document store does beyond the contract: DynamoDB's transaction and item limits, keys in UTF-8
 * byte order and of DynamoDB's longest length, retried conflicts and unprocessed keys, consumed capacity.
 */
class DynamoDbDocumentStoreBehaviourTest {

    private static final Calls CALLS = new Calls();
    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores(List.of(CALLS), ItemSize.LIMIT);
    private static final String LONGEST_KEY = "日".repeat(341) + "k"; // 1,024 bytes of UTF-8

    private String name;
    private DocumentStore<TestState> store;

    @BeforeEach
    void createStore() {
        name = "p" + UUID.randomUUID().toString().substring(0, 8);
        store = STORES.documentStore(name, TestState.CODEC);
        CALLS.reset();
    }

    @AfterAll
    static void close() {
        STORES.close();
    }

    @Test
    void a_write_of_one_hundred_items_is_one_transaction_and_one_of_a_hundred_and_one_is_refused_before_any_call() {
        StreamId stream = aNewStream();
        List<DocumentWrite> documents = documents("d-", 98);

        assertThat(store.write(documents, List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(100)))).isTrue();

        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isEqualTo(1);
        assertThat(store.list("d-", Optional.empty(), 1000).documents()).hasSize(98);
        assertThat(store.get(stream)).isPresent();
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(100));

        StreamId other = aNewStream();
        assertThatThrownBy(() -> store.write(documents("e-", 99),
                List.of(new ViewWrite<>(aSnapshotOf(other).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(101))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(DynamoDbStores.MAX_ITEMS_PER_DOCUMENT_WRITE))
                .hasMessageContaining("101");
        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isEqualTo(1);
        assertThat(store.list("e-", Optional.empty(), 1000).documents()).isEmpty();
        assertThat(store.get(other)).isEmpty();
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(100));
    }

    @Test
    void a_write_of_more_than_four_megabytes_is_refused_before_any_call() {
        List<DocumentWrite> documents = new ArrayList<>();
        String large = jsonOfBytes(store.maxDocumentBytes());
        for (int i = 0; i < 11; i++) {
            documents.add(new DocumentWrite.Put("large-" + i, large, 0));
        }

        assertThatThrownBy(() -> store.write(documents, List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(DynamoDbStores.MAX_BYTES_PER_DOCUMENT_WRITE));
        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isZero();
        assertThat(store.list("large-", Optional.empty(), 100).documents()).isEmpty();
    }

    @Test
    void a_document_of_max_document_bytes_under_the_longest_key_is_kept_and_one_byte_more_is_refused() {
        String atLimit = jsonOfBytes(store.maxDocumentBytes());

        assertThat(store.write(List.of(new DocumentWrite.Put(LONGEST_KEY, atLimit, 0)), List.of(), Optional.empty()))
                .isTrue();

        StoredDocument stored = store.document(LONGEST_KEY).orElseThrow();
        assertThat(stored.json()).isEqualTo(atLimit);
        assertThat(ItemSize.of(rawItem(LONGEST_KEY))).as("within the bytes of a larger version of the 400 KB")
                .isBetween(ItemSize.LIMIT - 9, ItemSize.LIMIT);

        StreamId stream = aNewStream();
        assertThatThrownBy(() -> store.write(
                List.of(new DocumentWrite.Put("small", "{}", 0),
                        new DocumentWrite.Put("short", jsonOfBytes(store.maxDocumentBytes() + 1), 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(1))))
                .isInstanceOf(DocumentTooLargeException.class)
                .hasMessageContaining("short").hasMessageContaining(name);
        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isEqualTo(1);
        assertThat(store.document("small")).isEmpty();
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(name)).isEmpty();
    }

    @Test
    void max_document_bytes_is_what_dynamodb_keeps_with_the_longest_key_and_the_largest_version() {
        String table = STORES.settings().tableNames().documents();

        STORES.calls().putItem(PutItemRequest.builder().tableName(table)
                .item(item(LONGEST_KEY, jsonOfBytes(store.maxDocumentBytes()))).build());
        assertThatThrownBy(() -> STORES.calls().putItem(PutItemRequest.builder().tableName(table)
                .item(item(LONGEST_KEY, jsonOfBytes(store.maxDocumentBytes() + 1))).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("size");
    }

    @Test
    void a_key_longer_than_dynamodb_keeps_is_refused_before_any_call_and_is_never_found() {
        String tooLong = "日".repeat(342); // 342 characters, 1,026 bytes

        assertThatThrownBy(() -> store.write(List.of(new DocumentWrite.Put(tooLong, "{}", 0)), List.of(),
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isZero();
        assertThat(store.document(tooLong)).isEmpty();
        assertThat(store.documents(Set.of(tooLong, "other"))).isEmpty();
        assertThat(store.list(tooLong, Optional.empty(), 10).documents()).isEmpty();
    }

    @Test
    void keys_list_in_the_order_of_their_utf8_bytes() {
        // UTF-16 order would put the emoji (a surrogate pair, D83D...) before the full-width z (FF5A)
        List<String> inUtf8Order = List.of("a", "z", "é", "日", "日本", "ｚ", "😀");
        List<DocumentWrite> writes = new ArrayList<>();
        for (String key : List.of("ｚ", "😀", "日本", "z", "é", "a", "日")) {
            writes.add(new DocumentWrite.Put(key, "{\"key\":\"" + key + "\"}", 0));
        }
        store.write(writes, List.of(), Optional.empty());

        assertThat(keys(store.list("", Optional.empty(), 100))).containsExactlyElementsOf(inUtf8Order);
        List<String> paged = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            DocumentPage page = store.list("", after, 2);
            paged.addAll(keys(page));
            after = page.next();
        } while (after.isPresent());
        assertThat(paged).containsExactlyElementsOf(inUtf8Order);
        assertThat(keys(store.list("日", Optional.empty(), 10))).containsExactly("日", "日本");
        assertThat(keys(store.list("", Optional.of("ｚ"), 10))).containsExactly("😀");
    }

    @Test
    void an_after_before_the_prefix_starts_at_the_prefix_and_one_past_it_lists_nothing() {
        List<DocumentWrite> writes = new ArrayList<>();
        for (String key : List.of("v-1", "w", "w-1", "w-2", "x-1")) {
            writes.add(new DocumentWrite.Put(key, "{}", 0));
        }
        store.write(writes, List.of(), Optional.empty());

        assertThat(keys(store.list("w-", Optional.of("a"), 10))).containsExactly("w-1", "w-2");
        assertThat(keys(store.list("w-", Optional.of("w"), 10))).containsExactly("w-1", "w-2");
        assertThat(keys(store.list("w-", Optional.of("w-1"), 10))).containsExactly("w-2");
        assertThat(keys(store.list("w-", Optional.of("w-3"), 10))).isEmpty();
        assertThat(keys(store.list("w-", Optional.of("x"), 10))).isEmpty();
    }

    @Test
    void an_after_longer_than_any_key_lists_the_keys_after_it() {
        String stem = "日".repeat(340) + "aa"; // 1,022 bytes
        String after = stem + "日"; // 1,025 bytes: cut to the stem for DynamoDB
        String before = stem + "é"; // 1,024 bytes: after the stem but before 'after'
        String later = "日".repeat(340) + "ab";
        store.write(List.of(new DocumentWrite.Put(before, "{}", 0), new DocumentWrite.Put(later, "{}", 0)), List.of(),
                Optional.empty());

        assertThat(keys(store.list("", Optional.of(after), 10))).containsExactly(later);
        assertThat(keys(store.list("日", Optional.of(after), 10))).containsExactly(later);
        assertThat(keys(store.list("", Optional.of(stem), 10))).containsExactly(before, later);
    }

    @Test
    void a_transaction_cancelled_by_a_conflict_is_tried_again() {
        CALLS.cancelNextTransactions(DynamoDbDocumentStore.ATTEMPTS - 1);

        assertThat(store.write(List.of(new DocumentWrite.Put("k", "{}", 0)), List.of(), Optional.empty())).isTrue();

        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isEqualTo(DynamoDbDocumentStore.ATTEMPTS);
        assertThat(store.document("k")).isPresent();
    }

    @Test
    void conflicts_on_every_attempt_make_the_store_unavailable_and_nothing_is_written() {
        CALLS.cancelNextTransactions(DynamoDbDocumentStore.ATTEMPTS);

        assertThatThrownBy(() -> store.write(List.of(new DocumentWrite.Put("k", "{}", 0)), List.of(),
                Optional.of(Checkpoint.atPosition(1))))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("TransactionConflict");

        assertThat(store.document("k")).isEmpty();
        assertThat(store.checkpoints().load(name)).isEmpty();
    }

    @Test
    void a_failed_condition_is_answered_at_once_without_trying_again() {
        store.write(List.of(new DocumentWrite.Put("k", "{}", 0)), List.of(), Optional.empty());
        CALLS.reset();

        assertThat(store.write(List.of(new DocumentWrite.Put("k", "{}", 0)), List.of(), Optional.empty())).isFalse();

        assertThat(CALLS.count(TransactWriteItemsRequest.class)).isEqualTo(1);
    }

    @Test
    void keys_left_unprocessed_by_a_batch_read_are_asked_for_again() {
        store.write(documents("b-", 100), List.of(), Optional.empty());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            keys.add(String.format("b-%03d", i));
        }
        CALLS.leaveAllButOneUnprocessed();

        Map<String, StoredDocument> found = store.documents(keys);

        assertThat(found).hasSize(100);
        assertSameJson(found.get("b-042").json(), "{\"n\":42}");
        assertThat(CALLS.count(BatchGetItemRequest.class)).isEqualTo(2);
    }

    @Test
    void writes_and_reads_count_their_capacity() {
        TableNames tables = STORES.settings().tableNames();
        ConsumedCapacity capacity = STORES.consumedCapacity();
        double documentWrites = capacity.writeUnits(tables.documents(), "TransactWriteItems");
        double viewWrites = capacity.writeUnits(tables.views(), "TransactWriteItems");
        double checkpointWrites = capacity.writeUnits(tables.checkpoints(), "TransactWriteItems");
        double batchReads = capacity.readUnits(tables.documents(), "BatchGetItem");
        double queryReads = capacity.readUnits(tables.documents(), "Query");

        store.write(List.of(new DocumentWrite.Put("a", "{}", 0), new DocumentWrite.Put("b", "{}", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(aNewStream()).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(1)));
        store.documents(Set.of("a", "b"));
        store.list("", Optional.empty(), 10);

        // DynamoDB Local reports a transaction's units per table, but not in proportion to its items as DynamoDB
        // does (two per KB of each): what is counted is that each table's units are, and as write units
        assertThat(capacity.writeUnits(tables.documents(), "TransactWriteItems") - documentWrites).isPositive();
        assertThat(capacity.writeUnits(tables.views(), "TransactWriteItems") - viewWrites).isPositive();
        assertThat(capacity.writeUnits(tables.checkpoints(), "TransactWriteItems") - checkpointWrites).isPositive();
        assertThat(capacity.readUnits(tables.documents(), "TransactWriteItems")).isZero();
        assertThat(capacity.readUnits(tables.documents(), "BatchGetItem") - batchReads).isEqualTo(2.0);
        assertThat(capacity.readUnits(tables.documents(), "Query") - queryReads).isPositive();
    }

    private static List<DocumentWrite> documents(String prefix, int count) {
        List<DocumentWrite> writes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            writes.add(new DocumentWrite.Put(String.format("%s%03d", prefix, i), "{\"n\":" + i + "}", 0));
        }
        return writes;
    }

    private static List<String> keys(DocumentPage page) {
        return page.documents().stream().map(StoredDocument::key).toList();
    }

    /** A JSON object of exactly {@code bytes} bytes of UTF-8. */
    private static String jsonOfBytes(long bytes) {
        return "{\"x\":\"" + "y".repeat((int) bytes - 8) + "\"}";
    }

    private Map<String, AttributeValue> rawItem(String key) {
        return STORES.calls().getItem(GetItemRequest.builder().tableName(STORES.settings().tableNames().documents())
                .consistentRead(true).key(Map.of(DynamoDbDocumentStore.PROJECTION, AttributeValue.fromS(name),
                        DynamoDbDocumentStore.KEY, AttributeValue.fromS(key))).build()).item();
    }

    private Map<String, AttributeValue> item(String key, String json) {
        return Map.of(DynamoDbDocumentStore.PROJECTION, AttributeValue.fromS(name),
                DynamoDbDocumentStore.KEY, AttributeValue.fromS(key),
                DynamoDbDocumentStore.BODY, AttributeValue.fromS(json),
                DynamoDbDocumentStore.VERSION, AttributeValue.fromN(Long.toString(Long.MAX_VALUE)));
    }

    /**
     * Counts the calls by request type, and on demand cancels transactions as a conflicting one would, or answers a
     * batch read with one item and the other keys unprocessed, as a throttled or 16 MB answer would.
     */
    private static final class Calls implements ExecutionInterceptor {
        private final ConcurrentMap<Class<?>, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final AtomicInteger cancellations = new AtomicInteger();
        private final AtomicBoolean partialBatch = new AtomicBoolean();

        void reset() {
            counts.clear();
            cancellations.set(0);
            partialBatch.set(false);
        }

        int count(Class<? extends SdkRequest> type) {
            AtomicInteger count = counts.get(type);
            return count == null ? 0 : count.get();
        }

        void cancelNextTransactions(int times) {
            cancellations.set(times);
        }

        void leaveAllButOneUnprocessed() {
            partialBatch.set(true);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            counts.computeIfAbsent(context.request().getClass(), type -> new AtomicInteger()).incrementAndGet();
            if (context.request() instanceof TransactWriteItemsRequest
                    && cancellations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw TransactionCanceledException.builder().message("Transaction cancelled (injected)")
                        .cancellationReasons(CancellationReason.builder().code("TransactionConflict").build())
                        .build();
            }
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.response() instanceof BatchGetItemResponse response && partialBatch.compareAndSet(true, false)) {
                String table = response.responses().keySet().iterator().next();
                List<Map<String, AttributeValue>> items = response.responses().get(table);
                List<Map<String, AttributeValue>> unprocessed = items.subList(1, items.size()).stream()
                        .map(item -> Map.of(DynamoDbDocumentStore.PROJECTION, item.get(DynamoDbDocumentStore.PROJECTION),
                                DynamoDbDocumentStore.KEY, item.get(DynamoDbDocumentStore.KEY)))
                        .toList();
                return response.toBuilder().responses(Map.of(table, items.subList(0, 1)))
                        .unprocessedKeys(Map.of(table, KeysAndAttributes.builder().keys(unprocessed)
                                .consistentRead(true).build()))
                        .build();
            }
            return context.response();
        }
    }
}
