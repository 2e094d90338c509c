package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.OtherMeans;
import io.cairn.application.port.Redelivery;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Follows an {@link InMemoryEventStore}'s global order from a checkpoint (a global position), one thread per
 * subscription. A failed delivery is retried after a pause, never skipped. Commits a listener already has by other
 * means ({@link Listener#hasThrough}) are passed over undelivered, a batch at a time ({@link OtherMeans}).
 */
public final class InMemoryDurableChannel implements DurableChannel {

    private static final int BATCH = 256;

    private final InMemoryEventStore store;
    private final long retryPauseMillis;
    private final LongAdder skipped = new LongAdder();

    public InMemoryDurableChannel(InMemoryEventStore store) {
        this(store, 200);
    }

    public InMemoryDurableChannel(InMemoryEventStore store, long retryPauseMillis) {
        this.store = requireNonNull(store, "store must not be null");
        this.retryPauseMillis = retryPauseMillis;
    }

    /** Batches passed over undelivered because the listener already had them. */
    public long batchesSkipped() {
        return skipped.sum();
    }

    @Override
    public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        requireNonNull(after, "after must not be null");
        requireNonNull(listener, "listener must not be null");
        long position;
        try {
            position = after.map(Checkpoint::position).orElse(0L);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("not a checkpoint of this channel: " + after.get().value(), e);
        }
        Follower follower = new Follower(position, listener);
        follower.thread.start();
        return follower::stop;
    }

    private final class Follower {
        final Thread thread;
        final Listener listener;
        volatile boolean running = true;
        final Redelivery redelivery = new Redelivery(Duration.ofMillis(retryPauseMillis),
                () -> Thread.sleep(retryPauseMillis), () -> running);
        long position;

        Follower(long position, Listener listener) {
            this.position = position;
            this.listener = listener;
            this.thread = new Thread(this::run, "cairn-durable-channel");
            this.thread.setDaemon(true);
        }

        private void run() {
            try {
                while (running) {
                    List<RecordedCommit> batch = store.readAll(position + 1, BATCH, 100, TimeUnit.MILLISECONDS);
                    if (!batch.isEmpty()) {
                        long last = batch.get(batch.size() - 1).position().orElseThrow();
                        if (OtherMeans.hasThrough(listener, last, () -> running)) {
                            position = last; // the listener has them all already
                            skipped.increment();
                            continue;
                        }
                    }
                    for (RecordedCommit commit : batch) {
                        if (!running) {
                            return;
                        }
                        deliver(commit);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void deliver(RecordedCommit commit) throws InterruptedException {
            long at = commit.position().orElseThrow();
            if (redelivery.deliver(listener, commit, Checkpoint.atPosition(at))) {
                position = at;
            }
        }

        void stop() {
            running = false;
            if (Thread.currentThread() != thread) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
