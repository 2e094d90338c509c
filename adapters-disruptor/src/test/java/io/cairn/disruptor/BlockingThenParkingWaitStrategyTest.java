package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The projector rings' wait strategy on a real ring and a real consumer thread: a consumer with nothing due sleeps
 * through a steady trickle of entries instead of timing out between them, one with something due times out for
 * it, a poke runs every consumer's {@code onTimeout} at once, and an entry published quietly waits for the next
 * signalled one or the consumer's timeout.
 */
class BlockingThenParkingWaitStrategyTest {

    private Thread consumer;
    private BatchEventProcessor<long[]> processor;
    private Thread laterConsumer;
    private BatchEventProcessor<long[]> later;

    @AfterEach
    void stop() throws InterruptedException {
        if (later != null) {
            later.halt();
            laterConsumer.join(10_000);
        }
        if (processor != null) {
            processor.halt();
            consumer.join(10_000);
        }
    }

    @Test
    void a_consumer_with_nothing_due_does_not_time_out_between_entries_a_millisecond_apart() throws Exception {
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(100, TimeUnit.MICROSECONDS);
        Counting handler = new Counting(waits, () -> Long.MAX_VALUE);
        RingBuffer<long[]> ring = start(waits, handler);

        for (int i = 0; i < 200; i++) {
            ring.publishEvent((slot, sequence) -> slot[0] = sequence);
            Thread.sleep(1);
        }
        awaitEntries(handler, 200);

        // 200 entries about 1 ms apart: the timeout before this change (8 short ones of 100 µs after each entry)
        // fired several times between every two of them, over a thousand in all; with nothing due, a consumer
        // sleeps up to 6.4 ms, so only a pause of the publishing thread that long can make it time out.
        assertThat(handler.timeouts.get()).isLessThan(20);
    }

    @Test
    void a_consumer_with_something_due_times_out_for_it() throws Exception {
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(100, TimeUnit.MICROSECONDS);
        AtomicBoolean due = new AtomicBoolean();
        Counting handler = new Counting(waits, () -> due.get() ? 0 : Long.MAX_VALUE);
        start(waits, handler);
        Thread.sleep(50);
        int idle = handler.timeouts.get();

        due.set(true);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.timeouts.get() < idle + 100 && System.nanoTime() < until) {
            Thread.sleep(1);
        }

        assertThat(idle).as("timeouts in 50 ms idle, at most one per 6.4 ms").isLessThan(12);
        assertThat(handler.timeouts.get() - idle).as("timeouts with work due, every 100 µs").isGreaterThanOrEqualTo(100);
    }

    @Test
    void a_poke_runs_on_timeout_at_once_however_long_the_consumer_would_sleep() throws Exception {
        // 10 s timeout: unpoked, the first timeout could come no sooner than 10 s
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(10, TimeUnit.SECONDS);
        Counting handler = new Counting(waits, () -> Long.MAX_VALUE);
        start(waits, handler);
        handler.started.await();
        Thread.sleep(20); // let it block

        waits.poke();

        assertThat(handler.timedOut.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void entries_published_quietly_wake_nobody_and_are_taken_with_the_next_signalled_one() throws Exception {
        // 10 s timeout: with nothing due the consumer sleeps 640 s unless an entry is signalled
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(10, TimeUnit.SECONDS);
        Counting handler = new Counting(waits, () -> Long.MAX_VALUE);
        RingBuffer<long[]> ring = start(waits, handler);
        handler.started.await();
        Thread.sleep(20); // let it block

        for (int i = 0; i < 5; i++) {
            assertThat(waits.quietly(() -> ring.tryPublishEvent((slot, sequence) -> slot[0] = sequence))).isTrue();
        }
        Thread.sleep(100);
        assertThat(handler.entries.get()).as("entries taken while only quiet ones came").isZero();

        ring.publishEvent((slot, sequence) -> slot[0] = sequence);
        awaitEntries(handler, 6);
        assertThat(handler.batches.get()).as("batches: the five quiet entries came with the signalled one").isEqualTo(1);
    }

    @Test
    void entries_published_quietly_are_taken_at_the_consumers_next_timeout() throws Exception {
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(100, TimeUnit.MICROSECONDS);
        Counting handler = new Counting(waits, () -> Long.MAX_VALUE);
        RingBuffer<long[]> ring = start(waits, handler);
        handler.started.await();
        Thread.sleep(20); // let it block

        for (int i = 0; i < 200; i++) {
            waits.quietly(() -> ring.tryPublishEvent((slot, sequence) -> slot[0] = sequence));
        }

        // nothing signalled (that nothing wakes the consumer is the test above): its own timeout, at most 6.4 ms with
        // nothing due, brings every one of them in
        awaitEntries(handler, 200);
    }

    @Test
    void a_later_stage_sleeps_while_its_earlier_stage_sleeps_through_quiet_entries() throws Exception {
        // 1 ms timeout: the first stage, with nothing due, sleeps 64 ms; the second has something due every 30 ms
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(1, TimeUnit.MILLISECONDS, true);
        Counting first = new Counting(waits, () -> Long.MAX_VALUE);
        Counting second = new Counting(waits, () -> TimeUnit.MILLISECONDS.toNanos(30));
        RingBuffer<long[]> ring = startTwoStages(waits, first, second);
        first.started.await();
        second.started.await();
        Thread.sleep(20); // let both block
        int before = second.timeouts.get();

        for (int i = 0; i < 5; i++) {
            waits.quietly(() -> ring.tryPublishEvent((slot, sequence) -> slot[0] = sequence));
        }
        Thread.sleep(200);

        // waking for what it had due, the second stage finds the entries published but the first asleep before
        // them. Parking in naps for the first, it timed out every 1 ms until the first took them (about 40 times
        // in all); sleeping as the first does, it times out for what it has due, every 30 ms (6 or 7 times)
        assertThat(second.timeouts.get() - before).as("the second stage's timeouts in 200 ms").isLessThan(20);
        awaitEntries(first, 5);
        awaitEntries(second, 5);

        ring.publishEvent((slot, sequence) -> slot[0] = sequence);
        awaitEntries(second, 6);
    }

    private RingBuffer<long[]> startTwoStages(BlockingThenParkingWaitStrategy waits, Counting first, Counting second) {
        RingBuffer<long[]> ring = RingBuffer.createMultiProducer(() -> new long[1], 1024, waits);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), first);
        later = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(processor.getSequence()), second);
        ring.addGatingSequences(later.getSequence());
        consumer = new Thread(processor, "wait-strategy-test-first");
        consumer.setDaemon(true);
        consumer.start();
        laterConsumer = new Thread(later, "wait-strategy-test-second");
        laterConsumer.setDaemon(true);
        laterConsumer.start();
        return ring;
    }

    private RingBuffer<long[]> start(BlockingThenParkingWaitStrategy waits, Counting handler) {
        RingBuffer<long[]> ring = RingBuffer.createMultiProducer(() -> new long[1], 1024, waits);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        ring.addGatingSequences(processor.getSequence());
        consumer = new Thread(processor, "wait-strategy-test-consumer");
        consumer.setDaemon(true);
        consumer.start();
        return ring;
    }

    private static void awaitEntries(Counting handler, int entries) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (handler.entries.get() < entries && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(handler.entries.get()).isEqualTo(entries);
    }

    private static final class Counting implements EventHandler<long[]> {
        private final BlockingThenParkingWaitStrategy waits;
        private final LongSupplier due;
        final AtomicInteger entries = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger timeouts = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch timedOut = new CountDownLatch(1);

        Counting(BlockingThenParkingWaitStrategy waits, LongSupplier due) {
            this.waits = waits;
            this.due = due;
        }

        @Override
        public void onStart() {
            waits.wakeFor(due);
            started.countDown();
        }

        @Override
        public void onEvent(long[] slot, long sequence, boolean endOfBatch) {
            entries.incrementAndGet();
            if (endOfBatch) {
                batches.incrementAndGet();
            }
        }

        @Override
        public void onTimeout(long sequence) {
            timeouts.incrementAndGet();
            timedOut.countDown();
        }
    }
}
