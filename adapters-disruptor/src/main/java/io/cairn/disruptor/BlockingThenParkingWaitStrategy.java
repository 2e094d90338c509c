package io.cairn.disruptor;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Blocks (with a timeout) until a publisher signals; then, while an earlier stage still works on the entry, spins
 * briefly and parks instead of busy-spinning. Disruptor's blocking strategies spin on the earlier stages with no
 * pause: a checkpoint stage waiting for a view write of many milliseconds would burn a core that, on a 2-core
 * machine, the store and the command threads need.
 *
 * <p><b>The timeout backs off while nothing is published.</b> A consumer times out to look at its gap waits and its
 * checkpoint pace ({@code onTimeout}); with a fixed timeout of a fraction of a millisecond, every consumer of every
 * projector woke about a thousand times a second with nothing to do (12 threads with the reference domains, about a
 * quarter of a core measured on the 2-core machine, taken from the commands at low load). The first timeouts after
 * a publish still come after {@code timeout} (for {@link #SHORT_TIMEOUTS} of them, so that a gap that opened with
 * the last commit expires on time); after that each waits twice as long as the one before, up to
 * {@link #MAX_BACK_OFF} times {@code timeout}. Any entry published starts over. Each consumer thread backs off on
 * its own.
 */
final class BlockingThenParkingWaitStrategy implements WaitStrategy {

    private static final int SPINS = 100;
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Timeouts at the shortest after the last entry. */
    static final int SHORT_TIMEOUTS = 8;
    /** The longest timeout, as a multiple of the shortest. */
    static final int MAX_BACK_OFF = 64;

    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();
    /** Per consumer thread: timeouts in a row since the last entry. */
    private final ThreadLocal<int[]> idleTimeouts = ThreadLocal.withInitial(() -> new int[1]);

    BlockingThenParkingWaitStrategy(long timeout, TimeUnit unit) {
        this.timeoutNanos = unit.toNanos(timeout);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        if (cursor.get() < sequence) {
            awaitPublished(sequence, cursor, barrier);
        }
        idleTimeouts.get()[0] = 0;
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

    /** Blocks until {@code sequence} is published, or throws {@link TimeoutException} after this thread's timeout. */
    private void awaitPublished(long sequence, Sequence cursor, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        int[] idle = idleTimeouts.get();
        int doublings = Math.max(0, idle[0] - SHORT_TIMEOUTS);
        long left = timeoutNanos * (doublings >= Integer.numberOfTrailingZeros(MAX_BACK_OFF) ? MAX_BACK_OFF
                : 1L << doublings);
        lock.lock();
        try {
            while (true) {
                // asked for before the cursor is read: a publisher that moved it after the read signals
                signalNeeded.set(true);
                if (cursor.get() >= sequence) {
                    return;
                }
                barrier.checkAlert();
                if (left <= 0) {
                    idle[0]++;
                    throw TimeoutException.INSTANCE;
                }
                left = published.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        if (signalNeeded.getAndSet(false)) {
            lock.lock();
            try {
                published.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
