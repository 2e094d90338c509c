package io.cairn.dynamodb;

import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cairn.application.port.Purpose;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.contracts.TestState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * What the DynamoDB view store's {@link ViewStore#putEach} does beyond the contract: its conditional puts are sent
 * together, from a bounded number of threads, charged to the caller's purpose, and a batch some of whose puts fail returns only once every put
 * has finished, each written or not as on its own.
 */
class DynamoDbViewStoreBehaviourTest {

    private static final Faults FAULTS = new Faults();
    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores(List.of(FAULTS), ItemSize.LIMIT);

    private final ViewStore<TestState> store = STORES.viewStore("behaviour-" + UUID.randomUUID(), TestState.CODEC);

    @AfterEach
    void disarm() {
        FAULTS.reset();
    }

    @AfterAll
    static void close() {
        STORES.close();
    }

    @Test
    void the_puts_of_one_batch_are_sent_from_several_threads_at_most_the_bound_and_the_callers() {
        FAULTS.holdEachPut();
        List<ViewWrite<TestState>> writes = firstViews(32);

        assertThat(store.putEach(writes)).containsOnly(true).hasSize(32);

        assertThat(FAULTS.threads).as("threads that sent the batch's puts").hasSizeGreaterThan(1)
                .hasSizeLessThanOrEqualTo(DynamoDbStores.CONCURRENT_WRITES + 1);
    }

    @Test
    void every_put_of_a_batch_is_charged_to_the_callers_purpose() {
        List<ViewWrite<TestState>> writes = firstViews(10);
        double projection = STORES.consumedCapacity().writeUnits(Purpose.PROJECTION);
        double other = STORES.consumedCapacity().writeUnits(Purpose.OTHER);

        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            assertThat(store.putEach(writes)).containsOnly(true);
        }

        assertThat(STORES.consumedCapacity().writeUnits(Purpose.PROJECTION) - projection).isEqualTo(10.0);
        assertThat(STORES.consumedCapacity().writeUnits(Purpose.OTHER) - other).isZero();
    }

    @Test
    void a_batch_whose_store_fails_for_some_puts_throws_once_every_put_has_finished_and_again_writes_only_the_rest() {
        List<ViewWrite<TestState>> writes = firstViews(12);
        ViewWrite<TestState> neverSent = writes.get(3);
        ViewWrite<TestState> answerLost = writes.get(8);
        FAULTS.failBeforeSending(key(neverSent));
        FAULTS.loseAnswer(key(answerLost));
        FAULTS.holdEachPut();
        for (ViewWrite<TestState> late : writes.subList(9, 12)) {
            FAULTS.holdLonger(key(late)); // still in flight when the others have failed or finished
        }

        Throwable thrown = catchThrowable(() -> store.putEach(writes));

        assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
        List<ViewWrite<TestState>> lastFirst = new ArrayList<>(writes);
        Collections.reverse(lastFirst); // the late ones first
        for (ViewWrite<TestState> write : lastFirst) {
            assertThat(store.get(write.view().stream())).as("view of %s", write.view().stream())
                    .isEqualTo(write == neverSent ? java.util.Optional.empty()
                            : java.util.Optional.of(write.view()));
        }
        FAULTS.reset();
        List<Boolean> again = store.putEach(writes);
        List<Boolean> expected = new ArrayList<>(Collections.nCopies(writes.size(), false));
        expected.set(3, true);
        assertThat(again).as("written again: only the put that was never sent").isEqualTo(expected);
        assertThat(store.get(neverSent.view().stream())).contains(neverSent.view());
    }

    @Test
    void one_put_of_a_batch_losing_its_condition_leaves_the_others_written() {
        List<ViewWrite<TestState>> writes = firstViews(8);
        ViewWrite<TestState> taken = writes.get(5);
        assertThat(store.put(aSnapshotOf(taken.view().stream()).at(1).withState("other", 1).build(), 0)).isTrue();

        List<Boolean> written = store.putEach(writes);

        List<Boolean> expected = new ArrayList<>(Collections.nCopies(writes.size(), true));
        expected.set(5, false);
        assertThat(written).isEqualTo(expected);
        for (ViewWrite<TestState> write : writes) {
            if (write != taken) {
                assertThat(store.get(write.view().stream())).contains(write.view());
            }
        }
        assertThat(store.get(taken.view().stream()).orElseThrow().state().name()).isEqualTo("other");
    }

    private static List<ViewWrite<TestState>> firstViews(int count) {
        List<ViewWrite<TestState>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(new ViewWrite<>(aSnapshotOf(aNewStream()).at(1).withState("view-" + i, i).build(), 0));
        }
        return writes;
    }

    private static String key(ViewWrite<TestState> write) {
        return write.view().stream().value();
    }

    /** Fails or holds the view puts it is told to, by the stream in the item. */
    private static final class Faults implements ExecutionInterceptor {
        final Set<String> failBeforeSending = ConcurrentHashMap.newKeySet();
        final Set<String> loseAnswer = ConcurrentHashMap.newKeySet();
        final Set<String> holdLonger = ConcurrentHashMap.newKeySet();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile boolean hold;

        void failBeforeSending(String stream) {
            failBeforeSending.add(stream);
        }

        void loseAnswer(String stream) {
            loseAnswer.add(stream);
        }

        void holdLonger(String stream) {
            holdLonger.add(stream);
        }

        /** Each view put waits a little before it is sent, so that puts sent together overlap. */
        void holdEachPut() {
            hold = true;
        }

        void reset() {
            failBeforeSending.clear();
            loseAnswer.clear();
            holdLonger.clear();
            hold = false;
            threads.clear();
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String stream = streamOf(context.request());
            if (stream == null) {
                return;
            }
            threads.add(Thread.currentThread().getName());
            if (failBeforeSending.contains(stream)) {
                throw SdkClientException.create("not sent: the store is unreachable");
            }
            if (hold) {
                try {
                    Thread.sleep(holdLonger.contains(stream) ? 1_000 : 30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String stream = streamOf(context.request());
            if (stream == null) {
                return;
            }
            if (loseAnswer.contains(stream)) {
                throw SdkClientException.create("written, but the answer was lost on its way back");
            }
        }

        private static String streamOf(Object request) {
            if (request instanceof PutItemRequest put && put.item().containsKey(CommitItems.STREAM)
                    && put.item().containsKey(DynamoDbViewStore.ID)) {
                return put.item().get(CommitItems.STREAM).s();
            }
            return null;
        }
    }
}
