package io.cairn.application.feed;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.ReleasedCommits;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The merged live feed: every commit as soon as a projector's gate releases it ({@link ReleasedCommits}), to any
 * number of subscribers, each of which can resume where it left off. What a subscriber's ids are, and how exactly
 * it resumes, depends on the store.
 *
 * <p>The live source must release every commit of the store, whatever its stream: follow the projection built by
 * {@link io.cairn.application.projection.Projection#allCommits}, run on a projector of its own. An aggregate's
 * projection releases only its category's commits in stream order (DynamoDB), so a feed following it would miss
 * the commits of every other stream there.
 *
 * <h2>A store with a global order (PostgreSQL, in memory)</h2>
 * Ids are global positions and strictly increase. Without a resume point a subscriber gets every commit released
 * from the moment it subscribed. Resuming after position p is exact: every commit after p, once, in position order.
 * The subscriber starts following the live source at once (buffering what it releases), reads the {@link GlobalLog}
 * from p + 1 page by page until the history reaches the first buffered live commit (or the end of the log), then
 * continues with the buffer, skipping the positions history already sent. Should a live commit lie beyond what
 * history returned (the log not yet showing what the gate released), history is read again up to it, for up to
 * {@link #GAP_PATIENCE}; after that the subscription ends {@link Ending#UNAVAILABLE} rather than skip a position.
 * p = 0 replays the whole log. A p beyond the end of the log is taken as given: the subscriber gets the commits
 * after p when there are some.
 *
 * <h2>A store without a global order (DynamoDB)</h2>
 * Without a resume point a subscriber gets every commit released from the moment it subscribed, with the ids the
 * live source gives: the projection's last saved durable checkpoint, which may lie before the commit, or null while
 * the projection has saved none (passed on as null). With a resume point (one of those ids), the subscriber follows
 * the {@link DurableChannel} from it, at least once, with the channel's own checkpoints as ids: commits after the
 * resume point that the subscriber already saw on an earlier connection come again. Within one subscription a
 * commit whose revision is not above the highest already sent for its stream is dropped, so each stream's commits
 * arrive once and in revision order (of the last {@value #STREAMS_REMEMBERED} streams seen; a stream not seen for
 * longer may repeat). The price of that order: a commit the channel delivers after a later one of its stream
 * (DynamoDB Streams may, across a shard split) is dropped as well; such a reader reads the stream itself to fill
 * it. Such a subscriber stays on the durable channel and never switches to the live source: its latency is the
 * durable channel's (DynamoDB Streams polling), not the gate's.
 *
 * <h2>Threads, slow subscribers, heartbeats</h2>
 * Each subscriber has a thread of its own, and its {@link Sink} is called on that thread only, one call at a time,
 * never on a projector's thread: the live source's listener only puts the commit into the subscriber's queue,
 * bounded at {@code maxBehind} commits. A subscriber whose queue is full has fallen too far behind; it is ended
 * with {@link Ending#FELL_BEHIND} (and resumes from the last id it received), so that it never holds up the
 * projection nor fills the heap. That includes a subscriber still reading history while more than
 * {@code maxBehind} commits are released: its next connection starts further on. A subscriber on the durable channel is back-pressured instead: the channel waits
 * for it, which costs only that subscription. When a subscriber has had nothing to receive for its heartbeat
 * interval, its sink's {@link Sink#heartbeat()} is called, which also finds out early that a reader is gone.
 *
 * <p>Thread-safe.
 */
public final class CommitFeed {

    /** How many commits a live subscriber may fall behind before it is ended, unless configured otherwise. */
    public static final int DEFAULT_MAX_BEHIND = 10_000;
    /** How long a subscriber waits for the log to show a position the live source already released. */
    public static final Duration GAP_PATIENCE = Duration.ofSeconds(5);
    /** How many streams a subscriber on the durable channel remembers the highest sent revision of. */
    public static final int STREAMS_REMEMBERED = 100_000;

    private static final System.Logger LOG = System.getLogger(CommitFeed.class.getName());
    private static final long GAP_PAUSE_MILLIS = 20;
    private static final long OFFER_MILLIS = 100;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final long NONE = -1;

    private final ReleasedCommits live;
    private final Optional<GlobalLog> log;
    private final DurableChannel durable;
    private final int maxBehind;
    private final int pageSize;
    private final long gapPatienceNanos;
    private final AtomicInteger threads = new AtomicInteger();

    /** A feed whose live subscribers may fall {@value #DEFAULT_MAX_BEHIND} commits behind. */
    public CommitFeed(ReleasedCommits live, Optional<GlobalLog> log, DurableChannel durable) {
        this(live, log, durable, DEFAULT_MAX_BEHIND);
    }

    /**
     * @param live      the commits the projector's gate releases: the all-commits projection's
     *                  ({@link io.cairn.application.projection.Projection#allCommits})
     * @param log       the store's global order, where it has one; it decides which kind of ids the feed gives
     * @param durable   the store's durable channel: what a subscriber resumes from on a store without a global order
     * @param maxBehind how many released commits a live subscriber may have waiting before it is ended, {@code >= 1}
     */
    public CommitFeed(ReleasedCommits live, Optional<GlobalLog> log, DurableChannel durable, int maxBehind) {
        this(live, log, durable, maxBehind, GlobalLog.MAX_SLICE, GAP_PATIENCE);
    }

    /** As above, reading history in pages of {@code pageSize} commits and waiting {@code gapPatience} for a gap. */
    CommitFeed(ReleasedCommits live, Optional<GlobalLog> log, DurableChannel durable, int maxBehind, int pageSize,
               Duration gapPatience) {
        this.live = requireNonNull(live, "live must not be null");
        this.log = requireNonNull(log, "log must not be null");
        this.durable = requireNonNull(durable, "durable must not be null");
        if (maxBehind < 1) {
            throw new IllegalArgumentException("maxBehind must be >= 1, was " + maxBehind);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
        }
        this.maxBehind = maxBehind;
        this.pageSize = pageSize;
        this.gapPatienceNanos = requireNonNull(gapPatience, "gapPatience must not be null").toNanos();
    }

    /** True when ids are global positions and resuming is exact; false when they are durable checkpoints. */
    public boolean hasGlobalOrder() {
        return log.isPresent();
    }

    /**
     * Subscribes {@code sink} to the feed. Everything that can be refused is refused here, before any call to the
     * sink; the sink's calls then start on the subscriber's own thread.
     *
     * @param after     where to resume: an id this feed gave with an earlier commit ({@code 0} on a store with a
     *                  global order: from the very beginning); empty for what is released from now on
     * @param heartbeat how long the subscriber may have nothing to receive before {@link Sink#heartbeat()}, positive
     * @param sink      not null; receives the commits (see {@link Sink})
     * @return a handle that ends the subscription; closing it waits briefly for a sink call in progress
     * @throws IllegalArgumentException  when {@code after} is not a resume point of this feed: on a store with a
     *                                   global order, anything but an integer {@code >= 0}; otherwise whatever the
     *                                   durable channel refuses
     * @throws StoreUnavailableException when the durable channel cannot be subscribed for lack of a store
     */
    public Subscription open(Optional<Checkpoint> after, Duration heartbeat, Sink sink) {
        requireNonNull(after, "after must not be null");
        requireNonNull(heartbeat, "heartbeat must not be null");
        requireNonNull(sink, "sink must not be null");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
        }
        Follower follower;
        if (log.isPresent()) {
            follower = new PositionFollower(log.get(), after.map(CommitFeed::position).orElse(NONE), heartbeat, sink);
            follower.source = live.follow(follower::released);
        } else if (after.isEmpty()) {
            follower = new LiveFollower(heartbeat, sink);
            follower.source = live.follow(follower::released);
        } else {
            DurableFollower durableFollower = new DurableFollower(heartbeat, sink);
            follower = durableFollower;
            follower.source = durable.subscribe(after, durableFollower::delivered);
        }
        follower.thread.start();
        return follower;
    }

    private static long position(Checkpoint after) {
        long position;
        try {
            position = after.position();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(notAPosition(after), e);
        }
        if (position < 0) {
            throw new IllegalArgumentException(notAPosition(after));
        }
        return position;
    }

    private static String notAPosition(Checkpoint after) {
        return "'" + after.value() + "' is not a global position: an integer >= 0 (0: from the beginning)";
    }

    /** Where a subscriber's commits go. Called on the subscriber's own thread, one call at a time. */
    public interface Sink {

        /**
         * The next commit.
         *
         * @param id where a reader that has seen this commit resumes ({@link #open}'s {@code after}); on a store
         *           with a global order the commit's own position; null when the live source has none yet
         * @throws Exception to end the subscription (the reader is gone, say): nothing more is called, not even
         *                   {@link #ended}
         */
        void commit(RecordedCommit commit, Checkpoint id) throws Exception;

        /**
         * Nothing has come for the heartbeat interval.
         *
         * @throws Exception to end the subscription, as {@link #commit} does
         */
        void heartbeat() throws Exception;

        /**
         * The feed ended the subscription by itself; the last call. Not called after the subscription was closed
         * nor after the sink threw. Exceptions it throws are ignored.
         *
         * @param detail a sentence for the reader, naming what to do next
         */
        void ended(Ending ending, String detail);
    }

    /** Why the feed ended a subscription by itself. Either way, resuming from the last id received continues it. */
    public enum Ending {
        /** More commits were waiting for the subscriber than the feed holds for one. */
        FELL_BEHIND,
        /** The store could not be read, or did not show what the live source released. */
        UNAVAILABLE
    }

    private record Released(RecordedCommit commit, Checkpoint checkpoint) {
    }

    /** Ends {@link Follower#follow} and the subscription, telling the sink why. */
    private static final class Ended extends Exception {
        final Ending ending;

        Ended(Ending ending, String detail) {
            super(detail, null, false, false);
            this.ending = ending;
        }
    }

    /** The sink threw: ends the subscription without a word. */
    private static final class SinkFailed extends Exception {
        SinkFailed(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    /** One subscriber: its queue, its thread and its source. */
    private abstract class Follower implements Subscription {

        final Sink sink;
        final long heartbeatNanos;
        final BlockingQueue<Released> queue = new LinkedBlockingQueue<>(maxBehind);
        final Thread thread;
        final AtomicBoolean sourceClosed = new AtomicBoolean();
        volatile Subscription source;
        volatile boolean closed;
        volatile boolean fellBehind;

        Follower(Duration heartbeat, Sink sink) {
            this.sink = sink;
            this.heartbeatNanos = heartbeat.toNanos();
            this.thread = new Thread(this::run, "cairn-feed-" + threads.incrementAndGet());
            this.thread.setDaemon(true);
        }

        /** The live source's listener, on a projector's thread: it only enqueues, and never waits. */
        final void released(RecordedCommit commit, Checkpoint checkpoint) {
            if (closed || fellBehind) {
                return;
            }
            if (!queue.offer(new Released(commit, checkpoint))) {
                fellBehind = true;
            }
        }

        /** Sends commits until the subscription ends; returns only by throwing. */
        abstract void follow() throws Ended, SinkFailed, InterruptedException;

        private void run() {
            try {
                follow();
            } catch (Ended e) {
                end(e.ending, e.getMessage());
            } catch (SinkFailed | InterruptedException e) {
                // the reader is gone, or the subscription was closed: nobody to tell
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.ERROR, "the feed failed on " + thread.getName(), e);
                    end(Ending.UNAVAILABLE, "the feed failed; resume from the last id received");
                }
            } finally {
                closed = true;
                closeSource();
            }
        }

        private void end(Ending ending, String detail) {
            if (closed) {
                return;
            }
            closed = true;
            closeSource();
            try {
                sink.ended(ending, detail);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "a sink failed to take the end of its subscription", e);
            }
        }

        /** The next commit waiting; heartbeats while there is none. */
        final Released next() throws Ended, SinkFailed, InterruptedException {
            while (true) {
                checkBehind();
                Released next = queue.poll(heartbeatNanos, TimeUnit.NANOSECONDS);
                if (next != null) {
                    return next;
                }
                try {
                    sink.heartbeat();
                } catch (Exception e) {
                    throw new SinkFailed(e);
                }
            }
        }

        final void checkBehind() throws Ended {
            if (fellBehind) {
                throw new Ended(Ending.FELL_BEHIND, "more than " + maxBehind + " commits were waiting for this "
                        + "subscriber; resume from the last id received");
            }
        }

        final void send(RecordedCommit commit, Checkpoint id) throws SinkFailed, InterruptedException {
            if (closed) {
                throw new InterruptedException("closed");
            }
            try {
                sink.commit(commit, id);
            } catch (Exception e) {
                throw new SinkFailed(e);
            }
        }

        final void closeSource() {
            if (sourceClosed.compareAndSet(false, true)) {
                source.close();
            }
        }

        @Override
        public final void close() {
            closed = true;
            closeSource();
            if (Thread.currentThread() != thread) {
                thread.interrupt(); // out of waiting for a commit, a history page or a gap
                try {
                    thread.join(CLOSE_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** On a store with a global order: ids are positions; resumes read history, then hand over to the live source. */
    private final class PositionFollower extends Follower {

        private final GlobalLog log;
        private long last;

        PositionFollower(GlobalLog log, long after, Duration heartbeat, Sink sink) {
            super(heartbeat, sink);
            this.log = log;
            this.last = after;
        }

        @Override
        void follow() throws Ended, SinkFailed, InterruptedException {
            if (last != NONE) {
                readHistory(Long.MAX_VALUE, false);
            }
            while (true) {
                Released next = next();
                long position = positionOf(next);
                if (last != NONE && position > last + 1) {
                    readHistory(position - 1, true);
                }
                if (last == NONE || position > last) {
                    send(next.commit(), position);
                }
            }
        }

        /**
         * Sends the log's commits after {@code last} up to {@code upTo} at least, a page at a time. Without
         * {@code mustReach}, stops as soon as the first buffered live commit follows on, or at the end of the log;
         * with it, waits for the log to show {@code upTo}.
         */
        private void readHistory(long upTo, boolean mustReach) throws Ended, SinkFailed, InterruptedException {
            long deadline = System.nanoTime() + gapPatienceNanos;
            while (last < upTo) {
                checkBehind();
                Released head = queue.peek();
                if (!mustReach && head != null && positionOf(head) <= last + 1) {
                    return;
                }
                List<RecordedCommit> page = read(last + 1);
                if (page.isEmpty()) {
                    if (!mustReach) {
                        return;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new Ended(Ending.UNAVAILABLE, "the store's log does not show position " + (last + 1)
                                + " although it was released; resume from the last id received");
                    }
                    TimeUnit.MILLISECONDS.sleep(GAP_PAUSE_MILLIS);
                    continue;
                }
                for (RecordedCommit commit : page) {
                    long position = commit.position().getAsLong();
                    if (position != last + 1) {
                        throw new IllegalStateException("the log skipped from position " + last + " to " + position);
                    }
                    send(commit, position);
                }
            }
        }

        private List<RecordedCommit> read(long from) throws Ended {
            try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
                return log.readAll(from, pageSize).commits();
            } catch (StoreUnavailableException e) {
                LOG.log(Level.WARNING, "the feed cannot read the log: " + e.getMessage());
                throw new Ended(Ending.UNAVAILABLE, "the store cannot be reached; resume from the last id received");
            }
        }

        private void send(RecordedCommit commit, long position) throws SinkFailed, InterruptedException {
            send(commit, Checkpoint.atPosition(position));
            last = position;
        }

        private long positionOf(Released released) {
            if (released.commit().position().isPresent()) {
                return released.commit().position().getAsLong();
            }
            if (released.checkpoint() != null) {
                return released.checkpoint().position();
            }
            throw new IllegalStateException("the live source released " + released.commit().stream() + "@"
                    + released.commit().revision() + " without a position on a store with a global order");
        }
    }

    /** On a store without a global order, without a resume point: the live source, ids as it gives them. */
    private final class LiveFollower extends Follower {

        LiveFollower(Duration heartbeat, Sink sink) {
            super(heartbeat, sink);
        }

        @Override
        void follow() throws Ended, SinkFailed, InterruptedException {
            while (true) {
                Released next = next();
                send(next.commit(), next.checkpoint());
            }
        }
    }

    /** On a store without a global order, resuming: the durable channel, without per-stream repeats. */
    private final class DurableFollower extends Follower {

        private final Map<StreamId, Long> highestSent = new LinkedHashMap<>(1_024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<StreamId, Long> eldest) {
                return size() > STREAMS_REMEMBERED;
            }
        };

        DurableFollower(Duration heartbeat, Sink sink) {
            super(heartbeat, sink);
        }

        /** The durable channel's listener, on its thread: waits for room in the queue, so the channel slows down. */
        void delivered(RecordedCommit commit, Checkpoint checkpoint) throws InterruptedException {
            Released released = new Released(commit, checkpoint);
            while (!closed) {
                if (queue.offer(released, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        @Override
        void follow() throws Ended, SinkFailed, InterruptedException {
            while (true) {
                Released next = next();
                RecordedCommit commit = next.commit();
                Long highest = highestSent.get(commit.stream());
                if (highest != null && commit.revision() <= highest) {
                    continue;
                }
                highestSent.put(commit.stream(), commit.revision());
                send(commit, next.checkpoint());
            }
        }
    }
}
