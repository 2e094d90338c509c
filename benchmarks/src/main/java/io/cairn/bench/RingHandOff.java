package io.cairn.bench;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The projector's shape: a multi-producer Disruptor ring of pre-allocated slots, one consumer thread, publishers that
 * claim a slot with {@link RingBuffer#tryPublishEvent} (or wait for one with {@link RingBuffer#publishEvent}). The
 * consumer clears each slot after use so that the ring holds no hint longer than needed.
 */
final class RingHandOff implements HandOff {

    private static final EventTranslatorOneArg<Slot, Hint> INTO_SLOT = (slot, sequence, hint) -> slot.hint = hint;

    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final Tally tally = new Tally();
    private final CountDownLatch consumerStopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * @param capacity     slots in the ring, a power of two
     * @param waitStrategy how the consumer waits for hints
     */
    RingHandOff(int capacity, WaitStrategy waitStrategy) {
        disruptor = new Disruptor<>(Slot::new, capacity, runnable -> {
            Thread thread = new Thread(runnable, "cairn-bench-ring-consumer");
            thread.setDaemon(true);
            return thread;
        }, ProducerType.MULTI, waitStrategy);
        disruptor.setDefaultExceptionHandler(new RecordFailure());
        disruptor.handleEventsWith(new Consumer());
        ring = disruptor.start();
    }

    @Override
    public boolean offer(Hint hint) {
        return ring.tryPublishEvent(INTO_SLOT, hint);
    }

    @Override
    public void put(Hint hint) {
        ring.publishEvent(INTO_SLOT, hint);
    }

    @Override
    public Consumed stop(Duration timeout) {
        try {
            disruptor.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!consumerStopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the ring's consumer did not stop within " + timeout);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the ring's consumer did not catch up within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the ring", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the ring's consumer failed", failure.get());
        }
        return tally.consumed(); // the latch orders the consumer's last writes before this read
    }

    /** A pre-allocated ring entry. */
    private static final class Slot {
        Hint hint;
    }

    private final class Consumer implements EventHandler<Slot> {
        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            Hint hint = slot.hint;
            slot.hint = null;
            tally.take(hint);
        }

        @Override
        public void onShutdown() {
            consumerStopped.countDown();
        }
    }

    /** A benchmark whose consumer failed has no result: keep the first failure for {@link #stop}. */
    private final class RecordFailure implements ExceptionHandler<Slot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Slot slot) {
            failure.compareAndSet(null, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            failure.compareAndSet(null, ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            failure.compareAndSet(null, ex);
        }
    }
}
