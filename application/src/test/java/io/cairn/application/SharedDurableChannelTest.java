package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One read of the store for every projector, and no projector held up or short of a commit because of another. */
class SharedDurableChannelTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDurableChannel channel = new InMemoryDurableChannel(store, 20);
    private final CountingChannel source = new CountingChannel(channel);

    @Test
    void subscribers_resuming_from_one_checkpoint_share_one_subscription_and_each_gets_every_commit_in_order()
            throws Exception {
        append(5);
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Subscription a = shared.subscribe(Optional.of(Checkpoint.atPosition(2)), first);
        Subscription b = shared.subscribe(Optional.of(Checkpoint.atPosition(2)), second);
        shared.open();
        append(3);

        first.awaitPositions(8);
        second.awaitPositions(8);
        assertThat(first.positions()).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(second.positions()).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(source.opened.get()).isEqualTo(1);
        assertThat(shared.sharing()).isEqualTo(2);
        a.close();
        b.close();
        assertThat(source.closed.get()).isEqualTo(1);
    }

    @Test
    void a_subscriber_with_another_checkpoint_or_a_late_one_follows_the_store_on_its_own_from_its_own_checkpoint()
            throws Exception {
        append(6);
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        Recorder usual = new Recorder();
        Recorder usualToo = new Recorder();
        Recorder behind = new Recorder();
        shared.subscribe(Optional.of(Checkpoint.atPosition(4)), usual);
        shared.subscribe(Optional.of(Checkpoint.atPosition(4)), usualToo);
        shared.subscribe(Optional.of(Checkpoint.atPosition(1)), behind);
        shared.open();
        Recorder late = new Recorder();
        shared.subscribe(Optional.empty(), late);

        behind.awaitPositions(6);
        late.awaitPositions(6);
        usual.awaitPositions(6);
        assertThat(behind.positions()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(late.positions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(usual.positions()).containsExactly(5L, 6L);
        assertThat(source.opened.get()).isEqualTo(3);
        assertThat(shared.sharing()).isEqualTo(2);
    }

    @Test
    void a_subscriber_that_falls_behind_leaves_the_shared_subscription_holds_up_nobody_and_misses_nothing()
            throws Exception {
        SharedDurableChannel shared = new SharedDurableChannel(source, 8);
        Recorder quick = new Recorder();
        CountDownLatch unblock = new CountDownLatch(1);
        Recorder slow = new Recorder(unblock);
        shared.subscribe(Optional.empty(), quick);
        shared.subscribe(Optional.empty(), slow);
        shared.open();

        append(40);
        quick.awaitPositions(40);
        assertThat(quick.positions()).hasSize(40);
        // the slow one left (the quick one may have too, if the channel outran its thread: it still got everything)
        assertThat(shared.sharing()).as("subscribers still sharing").isLessThanOrEqualTo(1);

        unblock.countDown();
        slow.awaitPositions(40);
        assertThat(slow.positions()).as("in order, none missing, none twice")
                .containsExactlyElementsOf(quick.positions());
    }

    @Test
    void a_delivery_that_fails_is_retried_on_the_subscribers_own_thread_and_the_others_go_on() throws Exception {
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        Recorder steady = new Recorder();
        AtomicInteger failures = new AtomicInteger();
        Recorder flaky = new Recorder() {
            @Override
            public void onCommit(RecordedCommit commit, Checkpoint checkpoint) throws Exception {
                if (commit.position().getAsLong() == 2 && failures.getAndIncrement() < 2) {
                    throw new IllegalStateException("the view store hiccups");
                }
                super.onCommit(commit, checkpoint);
            }
        };
        shared.subscribe(Optional.empty(), steady);
        shared.subscribe(Optional.empty(), flaky);
        shared.open();
        append(3);

        steady.awaitPositions(3);
        flaky.awaitPositions(3);
        assertThat(flaky.positions()).containsExactly(1L, 2L, 3L);
        assertThat(failures.get()).isEqualTo(3);
    }

    @Test
    void after_every_subscriber_closed_the_next_ones_share_again() throws Exception {
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        Subscription first = shared.subscribe(Optional.empty(), new Recorder());
        shared.open();
        first.close();
        Recorder again = new Recorder();
        Recorder againToo = new Recorder();
        shared.subscribe(Optional.empty(), again);
        shared.subscribe(Optional.empty(), againToo);
        shared.open();
        append(2);

        again.awaitPositions(2);
        againToo.awaitPositions(2);
        assertThat(shared.sharing()).isEqualTo(2);
        assertThat(source.opened.get()).isEqualTo(2);
    }

    /** Waits until the store's channel has passed over {@code batches} batches a listener had by other means. */
    private void awaitPassedOver(long batches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (channel.batchesSkipped() < batches && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(channel.batchesSkipped()).as("batches passed over").isGreaterThanOrEqualTo(batches);
    }

    private void append(int commits) {
        for (int i = 0; i < commits; i++) {
            store.append(StreamId.of("order-" + UUID.randomUUID()), ExpectedRevision.NO_STREAM,
                    new Commit(UUID.randomUUID(), List.of(new EventData("Placed", "{}")), Map.of()));
        }
    }

    @Test
    void the_shared_subscription_has_by_other_means_what_every_subscriber_on_it_has() throws Exception {
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        Recorder ahead = new Recorder();
        ahead.has = 7;
        Recorder behind = new Recorder();
        behind.has = 3;
        Subscription a = shared.subscribe(Optional.empty(), ahead);
        Subscription b = shared.subscribe(Optional.empty(), behind);
        shared.open();

        assertThat(source.listener.hasThrough()).as("the least of 7 and 3").isEqualTo(3);
        behind.has = 0;
        assertThat(source.listener.hasThrough()).as("one subscriber has nothing by other means").isZero();
        a.close();
        b.close();
    }

    @Test
    void a_subscriber_on_its_own_is_passed_over_what_it_has_by_other_means() throws Exception {
        append(6);
        SharedDurableChannel shared = new SharedDurableChannel(source, 64);
        shared.open();
        Recorder late = new Recorder();
        late.has = 6;
        shared.subscribe(Optional.empty(), late);
        awaitPassedOver(1);
        append(2);

        late.awaitPositions(8);
        assertThat(late.positions()).as("1-6 passed over, 7 and 8 delivered").containsExactly(7L, 8L);
    }

    @Test
    void a_subscriber_that_fell_behind_and_follows_on_its_own_is_passed_over_what_it_has_by_other_means()
            throws Exception {
        SharedDurableChannel shared = new SharedDurableChannel(source, 8);
        Recorder quick = new Recorder();
        CountDownLatch unblock = new CountDownLatch(1);
        Recorder slow = new Recorder(unblock);
        slow.has = 40; // e.g. the fast channel's hints, in its ring already
        shared.subscribe(Optional.empty(), quick);
        shared.subscribe(Optional.empty(), slow);
        append(40); // all in the store before the first read: the one on its own reads the rest in one batch
        shared.open();

        quick.awaitPositions(40);
        assertThat(shared.sharing()).as("the slow one left").isLessThanOrEqualTo(1);
        awaitPassedOver(1);
        unblock.countDown();
        append(2);
        slow.awaitPositions(42);

        List<Long> got = slow.positions();
        assertThat(got).as("what it was given while sharing, then only what it did not have").endsWith(41L, 42L);
        List<Long> beforeLeaving = got.subList(0, got.size() - 2);
        assertThat(beforeLeaving).as("no more than its buffer and the commit it was in, in order")
                .hasSizeLessThanOrEqualTo(9)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, beforeLeaving.size()).boxed().toList());
    }

    /** Counts the subscriptions opened on the store's channel. */
    private static final class CountingChannel implements DurableChannel {
        final DurableChannel inner;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        volatile Listener listener;

        CountingChannel(DurableChannel inner) {
            this.inner = inner;
        }

        @Override
        public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
            opened.incrementAndGet();
            this.listener = listener;
            Subscription subscription = inner.subscribe(after, listener);
            return () -> {
                closed.incrementAndGet();
                subscription.close();
            };
        }
    }

    private static class Recorder implements DurableChannel.Listener {
        private final List<RecordedCommit> seen = new CopyOnWriteArrayList<>();
        private final CountDownLatch gate;
        volatile long has;

        Recorder() {
            this(new CountDownLatch(0));
        }

        Recorder(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void onCommit(RecordedCommit commit, Checkpoint checkpoint) throws Exception {
            gate.await();
            seen.add(commit);
        }

        @Override
        public long hasThrough() {
            return has;
        }

        List<Long> positions() {
            return seen.stream().map(commit -> commit.position().getAsLong()).toList();
        }

        void awaitPositions(long last) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline
                    && (seen.isEmpty() || seen.get(seen.size() - 1).position().getAsLong() < last)) {
                Thread.sleep(5);
            }
        }
    }
}
