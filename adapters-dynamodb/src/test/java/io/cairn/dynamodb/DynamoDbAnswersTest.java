package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.contracts.TestState;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.dynamodb.local.InProcessDynamoDb;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What DynamoDB Local answers to what Cairn provokes (an item over the size limit, a failed condition, a cancelled
 * transaction, capacity, a stopped database) and what the stores make of it, over HTTP;
 * {@link InProcessDynamoDbAnswersTest} checks that in process every answer becomes the same Cairn outcome.
 */
class DynamoDbAnswersTest {

    /** How these tests reach DynamoDB Local; the subclass runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }

    @Test
    void an_item_at_dynamodbs_size_limit_is_kept_and_one_byte_more_is_a_refused_request_that_stores_nothing() {
        DynamoDbStores stores = stores();
        String table = stores.settings().tableNames().events();
        StreamId stream = aNewStream();
        Map<String, AttributeValue> key = CommitItems.key(stream, 1);
        long keySize = ItemSize.of(key) + "pad".length();
        Map<String, AttributeValue> atLimit = padded(key, (int) (ItemSize.LIMIT - keySize));
        Map<String, AttributeValue> overLimit = padded(CommitItems.key(stream, 2),
                (int) (ItemSize.LIMIT - keySize + 1));

        assertThat(ItemSize.of(atLimit)).isEqualTo(ItemSize.LIMIT);
        stores.calls().putItem(PutItemRequest.builder().tableName(table).item(atLimit).build());
        assertThatThrownBy(() -> stores.calls().putItem(PutItemRequest.builder().tableName(table).item(overLimit)
                .build())).isInstanceOf(IllegalStateException.class).hasMessageContaining("size");
        assertThat(stores.calls().getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(CommitItems.key(stream, 2)).build()).hasItem()).isFalse();
    }

    @Test
    void a_retried_append_is_a_duplicate_read_from_the_failed_condition_at_no_read_cost() {
        EventStore store = stores().eventStore();
        StreamId stream = aNewStream();
        Commit commit = anyCommit();
        store.append(stream, ExpectedRevision.NO_STREAM, commit);
        double reads = stores().consumedCapacity().totals().readUnits(Purpose.OTHER);

        AppendResult retry = store.append(stream, ExpectedRevision.NO_STREAM, commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.commit().commitId()).isEqualTo(commit.commitId());
        assertThat(stores().consumedCapacity().totals().readUnits(Purpose.OTHER))
                .as("the item came back with the failed condition (ALL_OLD), not from a read").isEqualTo(reads);
    }

    @Test
    void a_conflicting_append_is_a_wrong_expected_revision_with_the_actual_revision() {
        EventStore store = stores().eventStore();
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        store.append(stream, ExpectedRevision.exactly(1), anyCommit());

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, ExpectedRevision.exactly(1), anyCommit()));

        assertThat(conflict).isNotNull();
        assertThat(conflict.actual()).hasValue(2);
        assertThat(store.revision(stream)).isEqualTo(2);
    }

    @Test
    void a_transaction_with_a_failed_condition_is_cancelled_with_a_reason_per_item_and_writes_nothing() {
        DynamoDbStores stores = stores();
        String table = stores.settings().tableNames().events();
        StreamId taken = aNewStream();
        StreamId free = aNewStream();
        stores.eventStore().append(taken, ExpectedRevision.NO_STREAM, anyCommit());
        TransactWriteItemsRequest transaction = TransactWriteItemsRequest.builder().transactItems(
                put(table, CommitItems.key(taken, 1), "attribute_not_exists(" + CommitItems.REVISION + ")"),
                put(table, CommitItems.key(free, 1), null)).build();

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> stores.calls().transactWriteItems(transaction));

        assertThat(cancelled).isNotNull();
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("ConditionalCheckFailed", "None");
        assertThat(stores.eventStore().revision(free)).isZero();
    }

    @Test
    void a_document_write_whose_condition_fails_answers_false_and_writes_no_checkpoint() {
        DocumentStore<TestState> store = stores().documentStore("p" + UUID.randomUUID().toString().substring(0, 8),
                TestState.CODEC);
        assertThat(store.write(List.of(new DocumentWrite.Put("k", "{\"n\":1}", 0)), List.of(), Optional.empty()))
                .isTrue();

        assertThat(store.write(List.of(new DocumentWrite.Put("k", "{\"n\":2}", 0)), List.of(),
                Optional.of(Checkpoint.atPosition(7)))).isFalse();

        assertThat(store.document("k")).hasValueSatisfying(d -> assertThat(d.json()).contains("1"));
    }

    @Test
    void appends_reads_and_document_writes_report_their_capacity_per_table() {
        DynamoDbStores stores = stores();
        TableNames tables = stores.settings().tableNames();
        ConsumedCapacity capacity = stores.consumedCapacity();
        double appended = capacity.writeUnits(tables.events(), "PutItem");
        double queried = capacity.readUnits(tables.events(), "Query");
        double documents = capacity.writeUnits(tables.documents(), "TransactWriteItems");
        StreamId stream = aNewStream();

        stores.eventStore().append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        stores.eventStore().read(stream, 1, 10);
        stores.documentStore("c" + UUID.randomUUID().toString().substring(0, 8), TestState.CODEC)
                .write(List.of(new DocumentWrite.Put("k", "{}", 0)), List.of(), Optional.empty());

        assertThat(capacity.writeUnits(tables.events(), "PutItem") - appended).isEqualTo(1.0);
        assertThat(capacity.readUnits(tables.events(), "Query") - queried).isPositive();
        assertThat(capacity.writeUnits(tables.documents(), "TransactWriteItems") - documents).isPositive();
    }

    @Test
    void the_health_checks_pass_and_the_approximate_commit_count_counts_the_commits() {
        DynamoDbStores stores = stores();
        long before = stores.approximateCommitCount().orElseThrow();
        stores.eventStore().append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());

        stores.healthChecks().forEach(HealthCheck::check);
        assertThat(stores.approximateCommitCount()).hasValue(before + 1);
    }

    @Test
    void on_a_stopped_dynamodb_every_call_is_store_unavailable() {
        Stoppable dynamoDb = startOwn();
        try (DynamoDbStores stores = dynamoDb.stores()) {
            StreamId stream = aNewStream();
            stores.eventStore().append(stream, ExpectedRevision.NO_STREAM, anyCommit());

            dynamoDb.stop().run();

            assertThatThrownBy(() -> stores.eventStore().append(stream, ExpectedRevision.exactly(1), anyCommit()))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> stores.eventStore().read(stream, 1, 10))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> stores.healthChecks().get(0).check())
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(stores::approximateCommitCount).isInstanceOf(StoreUnavailableException.class);
        } finally {
            dynamoDb.stop().run();
        }
    }

    /** A DynamoDB Local of this test's own, reached as {@link #mode()} says, and how to stop it. */
    private Stoppable startOwn() {
        DynamoDbSettings tables = DynamoDbSettings.inProcess().withTablePrefix("own-");
        return switch (mode()) {
            case HTTP -> {
                EmbeddedDynamoDb server = EmbeddedDynamoDb.inMemory();
                yield new Stoppable(DynamoDbStores.open(DynamoDbSettings.local(server.endpoint())
                        .withTablePrefix("own-"), Optional.empty()), server::close);
            }
            case IN_PROCESS -> {
                InProcessDynamoDb local = InProcessDynamoDb.inMemory();
                yield new Stoppable(DynamoDbStores.open(tables, local.client(), local.streamsClient(),
                        Optional.empty()), local::close);
            }
        };
    }

    private record Stoppable(DynamoDbStores stores, Runnable stop) {
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> key, String condition) {
        Put.Builder put = Put.builder().tableName(table).item(key);
        if (condition != null) {
            put.conditionExpression(condition);
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    private static Map<String, AttributeValue> padded(Map<String, AttributeValue> key, int padding) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("pad", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[padding])));
        return item;
    }
}
