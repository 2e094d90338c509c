package io.cairn.postgres;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.domain.RecordedCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A durable channel listener that records what it is given, and lets a test wait for it. */
class Deliveries implements DurableChannel.Listener {

    private final List<RecordedCommit> commits = new ArrayList<>();

    @Override
    public synchronized void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
        commits.add(commit);
        notifyAll();
    }

    synchronized List<RecordedCommit> commits() {
        return List.copyOf(commits);
    }

    synchronized List<Long> positions() {
        return commits.stream().map(c -> c.position().getAsLong()).toList();
    }

    /** Waits until at least {@code count} commits have come, or fails after {@code timeout}. */
    synchronized List<RecordedCommit> awaitCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (commits.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("within " + timeout + ", " + commits.size() + " of " + count
                        + " commits were delivered");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return List.copyOf(commits);
    }
}
