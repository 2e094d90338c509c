package io.cairn.disruptor;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocks (with a timeout) until a publisher signals, like {@link LiteTimeoutBlockingWaitStrategy}; then, while an
 * earlier stage still works on the entry, spins briefly and parks instead of busy-spinning. Disruptor's blocking
 * strategies spin on the earlier stages with no pause: a checkpoint stage waiting for a view write of many
 * milliseconds would burn a core that, on a 2-core machine, the store and the command threads need.
 */
final class BlockingThenParkingWaitStrategy implements WaitStrategy {

    private static final int SPINS = 100;
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final LiteTimeoutBlockingWaitStrategy publishers;
    private final long timeoutNanos;

    BlockingThenParkingWaitStrategy(long timeout, TimeUnit unit) {
        this.publishers = new LiteTimeoutBlockingWaitStrategy(timeout, unit);
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        if (cursor.get() < sequence) {
            // the dependent passed is the cursor itself, so this returns as soon as the entry is published
            publishers.waitFor(sequence, cursor, cursor, barrier);
        }
        long available;
        int spins = 0;
        long park = 1_000;
        long deadline = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + timeoutNanos;
            } else if (now > deadline) {
                throw TimeoutException.INSTANCE;
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        publishers.signalAllWhenBlocking();
    }
}
