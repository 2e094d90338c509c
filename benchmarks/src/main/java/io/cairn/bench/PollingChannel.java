package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pure polling of a global log, with nothing to wake it: the baseline the lag benchmark compares PostgreSQL's own
 * durable channel with, since that one is woken by LISTEN/NOTIFY and has no setting to turn the wake-ups off. It
 * does what that channel does otherwise: reads the commits after its position, {@code batchSize} at a time, delivers
 * them one by one, and when a read returned fewer than {@code batchSize} sleeps for {@code pollInterval}. A delivery
 * that throws is retried after a pause, never skipped.
 */
final class PollingChannel implements DurableChannel {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    private final GlobalLog log;
    private final Duration pollInterval;
    private final int batchSize;

    PollingChannel(GlobalLog log, Duration pollInterval, int batchSize) {
        this.log = requireNonNull(log, "log must not be null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval must not be null");
        if (batchSize < 1 || batchSize > GlobalLog.MAX_SLICE) {
            throw new IllegalArgumentException("batchSize must be 1-" + GlobalLog.MAX_SLICE + ", was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        requireNonNull(after, "after must not be null");
        requireNonNull(listener, "listener must not be null");
        long from = after.map(Checkpoint::position).orElse(0L);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread thread = new Thread(() -> follow(from, listener, stopped), "bench-polling-channel");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            stopped.countDown();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private void follow(long from, Listener listener, CountDownLatch stopped) {
        long position = from;
        try {
            while (stopped.getCount() > 0) {
                List<RecordedCommit> commits;
                try {
                    commits = log.readAll(position + 1, batchSize).commits();
                } catch (RuntimeException e) {
                    System.err.println("... polling channel: read failed, retrying: " + e.getMessage());
                    stopped.await(RETRY_PAUSE.toNanos(), TimeUnit.NANOSECONDS);
                    continue;
                }
                for (RecordedCommit commit : commits) {
                    long at = commit.position().orElseThrow();
                    while (true) {
                        if (stopped.getCount() == 0) {
                            return;
                        }
                        try {
                            listener.onCommit(commit, Checkpoint.atPosition(at));
                            break;
                        } catch (Exception e) {
                            System.err.println("... polling channel: delivery failed, retrying: " + e);
                            stopped.await(RETRY_PAUSE.toNanos(), TimeUnit.NANOSECONDS);
                        }
                    }
                    position = at;
                }
                if (commits.size() < batchSize) {
                    stopped.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
