package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Redelivery;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The durable channel of the DynamoDB event store: follows the events table's DynamoDB Stream, one thread per
 * subscription, and hands every inserted commit item to the listener, one at a time, each with a
 * {@link StreamsCheckpoint} that covers it and everything delivered before it.
 *
 * <p><b>Shards.</b> Shards are discovered with {@code DescribeStream} (at start, when a shard ends and every
 * {@value #DESCRIBE_EVERY_ROUNDS} polling rounds) and read in rounds; a shard is read only once its parent has been
 * read to its end, so a stream's changes are seen in the order DynamoDB Streams keeps them: per item. Two commits
 * of one stream (two items) may therefore arrive out of revision order; the channel does not reorder them, the
 * projector's per-stream gate does. Snapshot items (sort key 0) and anything but an inserted commit item are
 * skipped.
 *
 * <p><b>Rebuilds.</b> DynamoDB Streams keeps records for 24 hours. A subscription that starts without a checkpoint
 * reads the stream from its oldest records when the stream holds the table's whole history (enabled with the table,
 * which is younger than the retention less a margin); otherwise, and when a checkpoint points into records no longer
 * retained (trimmed data, a shard gone, a stream re-enabled, a checkpoint older than the retention less the
 * margin), it rebuilds: it notes the stream's identity, delivers every commit item from a consistent {@code Scan}
 * of the table, then follows the stream from its oldest retained records. Anything written after the scan started
 * is in the stream (the scan is far shorter than the retention), so nothing falls between the two; what both see is
 * delivered twice, which the gate drops. A rebuild's scan position is checkpointed too, and a resumed scan
 * continues after it.
 *
 * <p><b>The end.</b> After each polling round in which no shard had a record, the listener hears
 * {@link Listener#reachedEnd()}: what a rebuild of a projection waits for (with its own work done) before it switches.
 * Under writes that leave no round empty it is not heard until they pause.
 *
 * <p>A delivery whose listener throws is retried after a pause, forever: a failing projection stalls rather than
 * skips. The channel's own calls count as {@link Purpose#PROJECTION}. Thread-safe.
 */
final class DynamoDbStreamsChannel implements DurableChannel {

    static final int DESCRIBE_EVERY_ROUNDS = 20;
    private static final System.Logger LOG = System.getLogger(DynamoDbStreamsChannel.class.getName());

    private final Supplier<ShardSource> sources;
    private final TableScan scan;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration retryPause;
    private final Duration retentionMargin;

    /**
     * @param sources         a new source of the stream per subscription
     * @param retentionMargin how long before the 24-hour retention a position counts as possibly trimmed
     */
    DynamoDbStreamsChannel(Supplier<ShardSource> sources, TableScan scan, Clock clock, Duration pollInterval,
                           Duration retryPause, Duration retentionMargin) {
        this.sources = requireNonNull(sources, "sources must not be null");
        this.scan = requireNonNull(scan, "scan must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval must not be null");
        this.retryPause = requireNonNull(retryPause, "retryPause must not be null");
        this.retentionMargin = requireNonNull(retentionMargin, "retentionMargin must not be null");
    }

    @Override
    public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        requireNonNull(after, "after must not be null");
        requireNonNull(listener, "listener must not be null");
        Optional<StreamsCheckpoint> start = after.map(StreamsCheckpoint::parse);
        Follower follower = new Follower(start, listener);
        follower.thread.start();
        return follower::stop;
    }

    /** One subscription: its thread and where it is. */
    private final class Follower {

        final Thread thread;
        final Listener listener;
        final CountDownLatch stopped = new CountDownLatch(1);
        final Redelivery redelivery = new Redelivery(retryPause, () -> pause(retryPause), this::running);
        Optional<StreamsCheckpoint> position;

        Follower(Optional<StreamsCheckpoint> start, Listener listener) {
            this.position = start;
            this.listener = listener;
            this.thread = new Thread(this::run, "cairn-dynamodb-streams");
            this.thread.setDaemon(true);
        }

        private void run() {
            try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
                ShardSource source = sources.get();
                while (running()) {
                    try {
                        new ShardFollower(source, clock, retentionMargin, this::deliver, this::running)
                                .follow(position, this::rebuild, this::idle);
                        return;
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "following the DynamoDB stream failed; retrying in " + retryPause, e);
                        pause(retryPause);
                    }
                }
            }
        }

        /** Delivers the table's commits after {@code after} (all when empty); false when stopped first. */
        private boolean rebuild(String label, Instant startedAt, Optional<StreamsCheckpoint.Scanning> after) {
            return scan.deliverCommits(label, startedAt, after, this::deliver, this::running);
        }

        /** Hands one commit to the listener until it takes it; false when stopped first. */
        private boolean deliver(RecordedCommit commit, StreamsCheckpoint checkpoint) {
            boolean delivered;
            try {
                delivered = redelivery.deliver(listener, commit, checkpoint.toCheckpoint());
            } catch (InterruptedException e) {
                // pause(retryPause) takes an interrupt as the end of the subscription and never throws
                Thread.currentThread().interrupt();
                return false;
            }
            if (delivered) {
                position = Optional.of(checkpoint);
            }
            return delivered;
        }

        /** A round found no record in any shard: everything stored is delivered; tell the listener, then wait. */
        private void idle() {
            listener.reachedEnd();
            pause(pollInterval);
        }

        private boolean running() {
            return stopped.getCount() > 0;
        }

        private void pause(Duration duration) {
            try {
                stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.countDown();
            }
        }

        void stop() {
            stopped.countDown();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Delivers one commit with the checkpoint that covers it; false when the subscription stopped first. */
    @FunctionalInterface
    interface Delivery {
        boolean deliver(RecordedCommit commit, StreamsCheckpoint checkpoint);
    }
}
