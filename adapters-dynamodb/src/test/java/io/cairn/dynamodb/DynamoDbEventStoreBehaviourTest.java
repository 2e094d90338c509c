package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.aCommit;
import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.CommitTooLargeException;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.contracts.TestCommits;
import io.cairn.contracts.TestSnapshots;
import io.cairn.contracts.TestState;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * What the DynamoDB event store does beyond the contract: lost responses, item sizes, capacity, key limits (DynamoDB's
 * own size limit: {@link DynamoDbAnswersTest}).
 */
class DynamoDbEventStoreBehaviourTest {

    private static final LosingResponses LOSING = new LosingResponses();
    private static final long SMALL_ITEM_LIMIT = 4 * 1024;
    private static final ScannedItems SCANNED = new ScannedItems();
    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores(List.of(LOSING, SCANNED), SMALL_ITEM_LIMIT);
    private final EventStore store = STORES.eventStore();

    @AfterAll
    static void close() {
        STORES.close();
    }

    @Test
    void a_retry_after_a_lost_response_is_a_duplicate_and_nothing_is_stored_twice() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        Commit commit = aCommit().withEvents(3).build();
        LOSING.loseNextPutResponse();

        assertThatThrownBy(() -> store.append(stream, ExpectedRevision.exactly(1), commit))
                .isInstanceOf(StoreUnavailableException.class);
        AppendResult retry = store.append(stream, ExpectedRevision.exactly(1), commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.revision()).isEqualTo(2);
        assertThat(retry.commit().firstEventNumber()).isEqualTo(2);
        List<RecordedCommit> stored = store.read(stream, 1, 10).commits();
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactly(
                stored.get(0).commitId(), commit.commitId());
    }

    @Test
    void a_first_commit_retried_after_a_lost_response_is_a_duplicate() {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();
        LOSING.loseNextPutResponse();

        assertThatThrownBy(() -> store.append(stream, ExpectedRevision.ANY, commit))
                .isInstanceOf(StoreUnavailableException.class);
        AppendResult retry = store.append(stream, ExpectedRevision.ANY, commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(store.revision(stream)).isEqualTo(1);
    }

    @Test
    void a_commit_whose_encoded_item_exceeds_the_item_limit_is_refused_and_nothing_is_stored() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        // under MAX_COMMIT_BYTES, but random text compresses too little to fit this store's 4 KB item limit
        Commit incompressible = aCommit().withEvent("Noise", "\"" + randomText(10 * 1024) + "\"").build();

        CommitTooLargeException refused = catchThrowableOfType(CommitTooLargeException.class,
                () -> store.append(stream, ExpectedRevision.exactly(1), incompressible));

        assertThat(refused).isNotNull();
        assertThat(refused.limit()).isEqualTo(SMALL_ITEM_LIMIT);
        assertThat(refused.size()).isGreaterThan(SMALL_ITEM_LIMIT);
        assertThat(store.revision(stream)).isEqualTo(1);
    }

    @Test
    void a_commit_over_max_commit_bytes_is_refused_before_any_call() {
        StreamId stream = aNewStream();
        double before = STORES.consumedCapacity().totals().readUnits(Purpose.OTHER);

        assertThatThrownBy(() -> store.append(stream, ExpectedRevision.ANY,
                TestCommits.ofApproximateSize(EventStore.MAX_COMMIT_BYTES + 1024)))
                .isInstanceOf(CommitTooLargeException.class);

        assertThat(STORES.consumedCapacity().totals().readUnits(Purpose.OTHER)).isEqualTo(before);
        assertThat(store.revision(stream)).isZero();
    }

    @Test
    void a_stream_id_of_the_longest_length_round_trips() {
        StreamId longest = StreamId.of("x".repeat(StreamId.MAX_LENGTH));

        store.append(longest, ExpectedRevision.ANY, anyCommit());

        assertThat(store.read(longest, 1, 10).commits()).singleElement()
                .extracting(RecordedCommit::stream).isEqualTo(longest);
    }

    @Test
    void a_snapshot_beside_a_stream_is_neither_read_as_a_commit_nor_counted_as_a_revision() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        STORES.snapshotStore(TestState.CODEC).save(TestSnapshots.aSnapshotOf(stream).at(1).build());

        assertThat(store.revision(stream)).isEqualTo(1);
        assertThat(store.read(stream, 1, 10).commits()).extracting(RecordedCommit::revision).containsExactly(1L);
        assertThat(store.append(stream, ExpectedRevision.ANY, anyCommit()).revision()).isEqualTo(2);
    }

    @Test
    void a_warm_append_is_one_write_under_its_purpose_and_reads_nothing() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        ConsumedCapacity.Totals before = STORES.consumedCapacity().totals();

        try (Purpose.Scope ignored = Purpose.COMMAND.enter()) {
            store.append(stream, ExpectedRevision.exactly(1), anyCommit());
        }

        ConsumedCapacity.Totals spent = STORES.consumedCapacity().totals().minus(before);
        assertThat(spent.writeUnits(Purpose.COMMAND)).isEqualTo(1.0);
        for (Purpose purpose : Purpose.values()) {
            assertThat(spent.readUnits(purpose)).as("read units under %s", purpose).isZero();
            if (purpose != Purpose.COMMAND) {
                assertThat(spent.writeUnits(purpose)).as("write units under %s", purpose).isZero();
            }
        }
    }

    @Test
    void a_cold_append_reads_the_expected_revision_once_and_counts_meters_by_purpose_and_table() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DynamoDbStores cold = DynamoDbStores.open(STORES.settings(), Optional.of(registry))) {
            try (Purpose.Scope ignored = Purpose.COMMAND.enter()) {
                cold.eventStore().append(stream, ExpectedRevision.exactly(1), anyCommit());
            }

            String table = STORES.settings().tableNames().events();
            assertThat(cold.consumedCapacity().readUnits(Purpose.COMMAND)).isEqualTo(1.0);
            assertThat(cold.consumedCapacity().readUnits(table, "GetItem")).isEqualTo(1.0);
            assertThat(cold.consumedCapacity().writeUnits(Purpose.COMMAND)).isEqualTo(1.0);
            assertThat(registry.get(ConsumedCapacity.WRITE_METER).tag("purpose", "command").tag("table", table)
                    .tag("operation", "PutItem").counter().count()).isEqualTo(1.0);
            assertThat(registry.get(ConsumedCapacity.READ_METER).tag("purpose", "command").tag("operation", "GetItem")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    private static String randomText(int length) {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** Lets a PutItem reach DynamoDB, then loses its response, once per arming: a timeout after the write. */
    @Test
    void a_read_up_to_a_revision_makes_dynamodb_evaluate_no_item_past_it() {
        StreamId stream = aNewStream();
        for (int i = 0; i < 6; i++) {
            store.append(stream, ExpectedRevision.exactly(i), anyCommit());
        }

        SCANNED.reset();
        List<RecordedCommit> upTo = store.readUpTo(stream, 2, 4, 100).commits();
        long scannedUpTo = SCANNED.items.get();
        SCANNED.reset();
        store.read(stream, 2, 3);
        long scannedPlain = SCANNED.items.get();

        assertThat(upTo).extracting(RecordedCommit::revision).containsExactly(2L, 3L, 4L);
        assertThat(scannedUpTo).as("items DynamoDB evaluated for revisions 2..4").isEqualTo(3);
        assertThat(scannedPlain).as("a plain read of 3 looks one further, to tell the end of the stream").isEqualTo(4);
    }

    /** Counts the items DynamoDB evaluated (and charged) for the queries it answered. */
    private static final class ScannedItems implements ExecutionInterceptor {
        final java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();

        void reset() {
            items.set(0);
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.QueryResponse query) {
                items.addAndGet(query.scannedCount());
            }
        }
    }

    private static final class LosingResponses implements ExecutionInterceptor {
        private final AtomicBoolean armed = new AtomicBoolean();

        void loseNextPutResponse() {
            armed.set(true);
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest && armed.compareAndSet(true, false)) {
                throw SdkClientException.create("the response was lost on its way back");
            }
        }
    }
}
