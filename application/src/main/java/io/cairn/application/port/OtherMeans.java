package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * For a {@link DurableChannel} in global order: whether a listener already has, by other means
 * ({@link DurableChannel.Listener#hasThrough}), the commits the channel is about to read or deliver, so that it can
 * move on past them without doing so. A listener fed by the fast channel usually has a commit a moment after the
 * store's own signal of it reaches the channel, so a listener that is ahead of the channel is given a short grace.
 */
public final class OtherMeans {

    /** How long a listener ahead of its channel is given to have a commit before the channel delivers it. */
    public static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private OtherMeans() {
    }

    /**
     * Whether {@code listener} has every commit through {@code through}, waiting up to {@link #GRACE_NANOS} for it
     * when it has anything by other means ({@code hasThrough() > 0}), even when that is no more than the channel
     * delivered: the store's signal and the fast channel's hint of one commit race, and the channel, woken by the
     * signal, often asks before the hint is in. False at once when the listener has nothing by other means
     * ({@code hasThrough() == 0}, e.g. a rebuild without a fast channel), or once {@code running} turns false.
     * Blocks the calling thread (the channel's) for at most the grace.
     *
     * @param through the position the channel would read or deliver up to
     */
    public static boolean hasThrough(DurableChannel.Listener listener, long through, BooleanSupplier running) {
        requireNonNull(listener, "listener must not be null");
        requireNonNull(running, "running must not be null");
        long had = listener.hasThrough();
        if (had == 0) {
            return false;
        }
        long deadline = System.nanoTime() + GRACE_NANOS;
        while (had < through && System.nanoTime() < deadline && running.getAsBoolean()) {
            LockSupport.parkNanos(GRACE_NANOS / 20);
            had = listener.hasThrough();
        }
        return had >= through;
    }
}
