package io.cairn.disruptor;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Blocks until a publisher signals, or until the consumer has something due; then, while an earlier stage still
 * works on the entry, spins briefly and parks instead of busy-spinning. Disruptor's blocking strategies spin on the
 * earlier stages with no pause: a checkpoint stage waiting for a view write of many milliseconds would burn a core
 * that, on a 2-core machine, the store and the command threads need.
 *
 * <p><b>A consumer wakes when it has work, not to look for it.</b> A consumer times out to run its
 * {@code onTimeout}: a gate's gap wait that is over, a checkpoint its interval held back, views a gate released while
 * no entry came. Each consumer thread says when its next such thing is due ({@link #wakeFor}); it sleeps until then,
 * never less than {@code timeout} and never more than {@link #MAX_BACK_OFF} times it (a safety net for anything not
 * told). A fixed timeout of a fraction of a millisecond made every consumer of every projector wake thousands of
 * times a second: first with nothing at all to do (12 threads with the reference domains, about a quarter of a core
 * measured idle on the 2-core machine), then, with short timeouts kept for a while after each entry, about a fifth
 * of the service's CPU under a steady trickle of commands. {@link #poke} wakes the consumers to run their
 * {@code onTimeout} at once: a gate that released something on its own timeout pokes its writer.
 *
 * <p><b>An entry nobody needs now wakes nobody.</b> A publisher can put an entry in {@link #quietly}: blocked consumers
 * are not signalled, and take it with the next entry that is signalled or at their next timeout, at most
 * {@link #MAX_BACK_OFF} times {@code timeout} later. On a ring of two stages (a gate and its writer), the writer
 * that finds such entries published while the gate sleeps before them sleeps as well (until a signal, a poke or its
 * own timeout) instead of parking in short naps for the gate: with the reference domains, the writers of the four
 * projections that keep nothing of a deposit each woke about once per command that way. In global order every projector sees every commit, and most
 * commits only move its position on; waking its two consumers for each of them was, with six projectors, most of
 * what the projectors cost under load.
 */
final class BlockingThenParkingWaitStrategy implements WaitStrategy {

    private static final int SPINS = 100;
    private static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** The longest timeout, as a multiple of the shortest. */
    static final int MAX_BACK_OFF = 64;
    private static final LongSupplier NOTHING_DUE = () -> Long.MAX_VALUE;

    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();
    private final AtomicLong pokes = new AtomicLong();
    /** Signals sent to blocked consumers (entries not published quietly, and pokes). */
    private final AtomicLong signals = new AtomicLong();
    /** Consumers blocked for an entry. */
    private final AtomicInteger sleepers = new AtomicInteger();
    /** {@link #signals} when the last of them fell asleep; written under {@link #lock}. */
    private volatile long signalsWhenAsleep;
    /** Whether the ring has exactly two consumers, the second after the first (a gate and its writer). */
    private final boolean twoStages;
    /** Per consumer thread: how long until it has something due, as it told {@link #wakeFor}. */
    private final ThreadLocal<LongSupplier> due = ThreadLocal.withInitial(() -> NOTHING_DUE);
    /** Per publishing thread: true while it publishes {@link #quietly}. */
    private final ThreadLocal<boolean[]> quiet = ThreadLocal.withInitial(() -> new boolean[1]);

    /** For a ring with any number of consumers and stages. */
    BlockingThenParkingWaitStrategy(long timeout, TimeUnit unit) {
        this(timeout, unit, false);
    }

    /**
     * @param twoStages true for a ring of exactly two consumers, the second after the first: the second then sleeps,
     *                  rather than park in naps, while the first sleeps through entries published {@link #quietly}
     */
    BlockingThenParkingWaitStrategy(long timeout, TimeUnit unit, boolean twoStages) {
        this.timeoutNanos = unit.toNanos(timeout);
        this.twoStages = twoStages;
    }

    /**
     * Called on a consumer's thread (its {@code onStart}): {@code nanosUntilDue} says, on that thread, how long
     * until its {@code onTimeout} has work ({@link Long#MAX_VALUE} for nothing).
     */
    void wakeFor(LongSupplier nanosUntilDue) {
        due.set(nanosUntilDue);
    }

    /** Wakes every blocked consumer to run its {@code onTimeout} now. For any thread. */
    void poke() {
        pokes.incrementAndGet();
        signalNeeded.set(true);
        signalAllWhenBlocking();
    }

    /**
     * Runs {@code publish} on this thread without signalling blocked consumers: what it publishes is taken with the
     * next signalled entry, or at the consumers' next timeout. For any publishing thread.
     *
     * @return what {@code publish} returned
     */
    boolean quietly(BooleanSupplier publish) {
        boolean[] flag = quiet.get();
        flag[0] = true;
        try {
            return publish.getAsBoolean();
        } finally {
            flag[0] = false;
        }
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        if (cursor.get() < sequence) {
            awaitPublished(sequence, cursor, barrier);
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
            if (twoStages && earlierStageAsleep()) {
                // the earlier stage sleeps through quiet entries: this one sleeps too, rather than park in naps for
                // it, until an entry is signalled, a poke, or its own timeout
                awaitEarlierStage(sequence, dependentSequence, barrier);
                spins = 0;
                park = 1_000;
                deadline = 0;
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

    /** Blocks until {@code sequence} is published, or throws {@link TimeoutException} once this thread has work due. */
    private void awaitPublished(long sequence, Sequence cursor, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        sleepUntil(() -> {
            // asked for before the cursor is read: a publisher that moved it after the read signals
            signalNeeded.set(true);
            return cursor.get() >= sequence;
        }, true, barrier);
    }

    /** Whether the other consumer sleeps for an entry, and no entry or poke has been signalled since it fell asleep. */
    private boolean earlierStageAsleep() {
        return sleepers.get() == 1 && signalsWhenAsleep == signals.get();
    }

    /**
     * Blocks while the earlier stage sleeps and has not reached {@code sequence}, or throws {@link TimeoutException}
     * once this thread has work due or is poked. A signalled entry wakes the earlier stage and this one, which then
     * waits for it by parking again.
     */
    private void awaitEarlierStage(long sequence, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        // a signal counted after this check waits for the lock, so it wakes the sleep
        sleepUntil(() -> !earlierStageAsleep() || dependentSequence.get() >= sequence, false, barrier);
    }

    /**
     * Sleeps on the condition, holding its lock while it checks, until {@code done}; throws {@link TimeoutException}
     * once this thread's work is due (its {@link #wakeFor}, at least {@code timeout}, at most {@link #MAX_BACK_OFF}
     * times it) or when it is poked.
     *
     * @param asSleeper whether this thread counts as a consumer asleep for an entry ({@link #earlierStageAsleep})
     */
    private void sleepUntil(BooleanSupplier done, boolean asSleeper, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long poked = pokes.get();
        long left = Math.min(Math.max(due.get().getAsLong(), timeoutNanos), timeoutNanos * MAX_BACK_OFF);
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                barrier.checkAlert();
                if (left <= 0 || pokes.get() != poked) {
                    throw TimeoutException.INSTANCE;
                }
                if (asSleeper) {
                    sleepers.incrementAndGet();
                    signalsWhenAsleep = signals.get();
                }
                try {
                    left = published.awaitNanos(left);
                } finally {
                    if (asSleeper) {
                        sleepers.decrementAndGet();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        if (quiet.get()[0]) {
            return; // the consumers' flag stays set: the next signalled entry wakes them
        }
        if (signalNeeded.getAndSet(false)) {
            signals.incrementAndGet();
            lock.lock();
            try {
                published.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
