package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.OtherMeans;
import io.cairn.application.port.Redelivery;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Catch-up by polling the global log: each subscription has a thread that reads the commits after its position,
 * {@code batchSize} at a time, delivers them one by one, and when it has caught up waits for a NOTIFY from an
 * append ({@link CommitNotifications}) or for {@code pollInterval}, whichever comes first.
 *
 * <p><b>Why reading {@code position > last} never skips a commit.</b> Positions are taken under the counter-row
 * lock of the {@link GroupCommitAppender}: they are consecutive, and a commit at position p becomes visible only
 * after every commit below p is. So when a read returns the commits up to p, none below p can appear later, and
 * the next read can start at p + 1. No timeout, no gap detection and no look-back are needed (a sequence-based
 * store would skip: its values are taken in one order and committed in another).
 *
 * <p><b>What a listener already has is not read again.</b> A wake by NOTIFY names the last position appended. When
 * the listener says it already has every commit through it by other means ({@link Listener#hasThrough}: a
 * projector's gate that the fast channel fed), the position moves there without a read; a listener given nothing
 * that way, a wake that names no position, and every poll at the interval read the log as before.
 *
 * <p>Checkpoints are global positions ({@link Checkpoint#atPosition}). A delivery whose listener throws is retried
 * after {@code retryPause}, never skipped; a failing read is retried the same way, so a database outage stalls the
 * subscription until the database is back. Thread-safe.
 */
final class PostgresDurableChannel implements DurableChannel, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PostgresDurableChannel.class.getName());

    private final GlobalLog log;
    private final CommitNotifications notifications;
    private final Duration pollInterval;
    private final int batchSize;
    private final Duration retryPause;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final LongAdder readsSkipped = new LongAdder();

    PostgresDurableChannel(GlobalLog log, CommitNotifications notifications, Duration pollInterval, int batchSize,
                           Duration retryPause) {
        this.log = requireNonNull(log, "log must not be null");
        this.notifications = requireNonNull(notifications, "notifications must not be null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval must not be null");
        this.retryPause = requireNonNull(retryPause, "retryPause must not be null");
        if (batchSize < 1 || batchSize > GlobalLog.MAX_SLICE) {
            throw new IllegalArgumentException("batchSize must be 1-" + GlobalLog.MAX_SLICE + ", was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        requireNonNull(after, "after must not be null");
        requireNonNull(listener, "listener must not be null");
        long position = after.map(PostgresDurableChannel::positionOf).orElse(0L);
        notifications.listen();
        Follower follower = new Follower(position, listener);
        followers.add(follower);
        follower.thread.start();
        return follower::close;
    }

    /**
     * Wakes by a NOTIFY whose commits every listener already had ({@link Listener#hasThrough}), so the log was not
     * read for them.
     */
    long readsSkipped() {
        return readsSkipped.sum();
    }

    /** Stops every subscription. */
    @Override
    public void close() {
        for (Follower follower : followers) {
            follower.close();
        }
    }

    private static long positionOf(Checkpoint checkpoint) {
        long position;
        try {
            position = checkpoint.position();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("not a checkpoint of this channel: " + checkpoint.value(), e);
        }
        if (position < 0) {
            throw new IllegalArgumentException("not a checkpoint of this channel: " + checkpoint.value());
        }
        return position;
    }

    /** One subscription: its thread, its position and its way to stop. */
    private final class Follower {

        final Thread thread;
        private final Listener listener;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Redelivery redelivery = new Redelivery(retryPause, this::pause, this::running);
        private long position;

        Follower(long position, Listener listener) {
            this.position = position;
            this.listener = listener;
            this.thread = new Thread(this::run, "cairn-postgres-subscriber-" + threadNumbers.incrementAndGet());
            this.thread.setDaemon(true);
        }

        private boolean running() {
            return stopped.getCount() > 0;
        }

        private void run() {
            try {
                boolean read = true;
                while (running()) {
                    long seen = notifications.version();
                    if (read) {
                        List<RecordedCommit> commits;
                        try {
                            commits = log.readAll(position + 1, batchSize).commits();
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "reading the global log after position " + position + " failed;"
                                    + " retrying in " + retryPause.toMillis() + " ms: " + e.getMessage());
                            pause();
                            continue;
                        }
                        for (RecordedCommit commit : commits) {
                            if (!deliver(commit)) {
                                return;
                            }
                        }
                        if (commits.size() == batchSize) {
                            continue; // more to read now
                        }
                    }
                    boolean woken = notifications.awaitChange(seen, pollInterval);
                    read = !woken || !hadAlready(notifications.notifiedThroughSince(seen));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                followers.remove(this);
            }
        }

        /**
         * Whether the listener already has, by other means, every commit through {@code notified} (the highest
         * position notified, -1 when unknown); if so the position moves there unread. A listener that gets commits
         * by other means (a gate fed by the fast channel) usually has a commit a moment after its NOTIFY comes, so
         * it is given a short grace ({@link OtherMeans}).
         */
        private boolean hadAlready(long notified) {
            if (notified < 0) {
                return false;
            }
            if (notified <= position) {
                return true; // delivered already
            }
            if (!OtherMeans.hasThrough(listener, notified, this::running)) {
                return false;
            }
            position = notified;
            readsSkipped.increment();
            return true;
        }

        /** @return false when the subscription was closed before the commit could be delivered */
        private boolean deliver(RecordedCommit commit) throws InterruptedException {
            long at = commit.position().orElseThrow();
            if (!redelivery.deliver(listener, commit, Checkpoint.atPosition(at))) {
                return false;
            }
            position = at;
            return true;
        }

        private void pause() throws InterruptedException {
            stopped.await(retryPause.toNanos(), TimeUnit.NANOSECONDS);
        }

        void close() {
            stopped.countDown();
            notifications.wakeAll();
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
