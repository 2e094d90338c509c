package io.cairn.disruptor;

import static java.util.Objects.requireNonNull;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.cairn.application.Service;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Subscription;
import io.cairn.application.projection.CheckpointKeeper;
import io.cairn.application.projection.Delivery;
import io.cairn.application.projection.Ordering;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionShard;
import io.cairn.application.projection.ViewWriter;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.UnreadableEventException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a {@link Projection} on an LMAX Disruptor ring that both channels publish into (multi-producer): the
 * durable channel's thread waits for room, so nothing it delivers is lost; the fast channel's publishers (the
 * threads that appended) only ever offer, and a full ring drops the hint, counted, for the durable channel to
 * bring later. An append is never delayed or failed by its projection.
 *
 * <p>Consumers, in stages: first the gates ({@link ProjectionShard}: one {@code GlobalPositionGate} in global order;
 * in stream order {@code shards} {@code StreamRevisionGate}s, each projecting the streams hashed to it), which release commits and show their views in the
 * cache at once; then each gate's {@link ViewWriter}, which writes the views at its end of batch (in global order
 * with the checkpoint), so a slow store write never holds up what becomes visible; in stream order last a
 * {@link CheckpointKeeper} that sees a commit only after every writer has stored its effect, so the checkpoint it
 * saves covers a contiguous prefix of stored effects. An idle gate reads, after the gap wait, what the channels
 * did not bring.
 *
 * <p>{@link #stop()} stops both channels, then drains the ring: every commit published is processed and written
 * before it returns (or the stop timeout passes; then the consumers are interrupted, and the durable channel
 * delivers again from the saved checkpoint on the next start).
 */
public final class DisruptorProjector implements Service {

    private static final System.Logger LOG = System.getLogger(DisruptorProjector.class.getName());

    private static final EventTranslatorTwoArg<Slot, RecordedCommit, Delivery> TRANSLATOR =
            (slot, sequence, commit, delivery) -> slot.set(commit, delivery);

    private final Projection<?, ?> projection;
    private final DurableChannel durable;
    private final FastChannel fast;
    private final int ringSize;
    private final int shards;
    private final Duration idleWait;
    private final Duration stopTimeout;
    private final LongAdder consumerFailures = new LongAdder();
    private final LongAdder durableDelivered = new LongAdder();
    private final LongAdder quietHints = new LongAdder();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;
    private BlockingThenParkingWaitStrategy waits;
    private Subscription durableSubscription;
    private volatile Subscription fastSubscription;
    /** Whether a fast-channel hint has come (none does on {@link FastChannel#none()}). */
    private volatile boolean hinted;
    /** Global order: the position through which every commit was released by the gate or is in the ring as a hint. */
    private final AtomicLong hintedThrough = new AtomicLong();
    /** Global order: hints put in the ring ahead of {@link #hintedThrough} + 1; guarded by itself. */
    private final TreeSet<Long> hintsAhead = new TreeSet<>();
    private boolean followsFastLate;
    /** The ring's cursor when the durable channel last said it reached the end; -1 before. */
    private volatile long endSeenAt = -1;

    private DisruptorProjector(Builder builder) {
        this.projection = builder.projection;
        this.durable = builder.durable;
        this.fast = builder.fast;
        this.ringSize = builder.ringSize;
        this.shards = projection.ordering() == Ordering.GLOBAL_POSITION ? 1 : builder.shards;
        // the shortest sleep of a consumer with work due (64 times it with none): half the gap wait, within [100 µs, 1 ms]
        this.idleWait = builder.idleWait != null ? builder.idleWait : Duration.ofNanos(Math.max(100_000,
                Math.min(1_000_000, projection.gapWait().toNanos() / 2)));
        this.stopTimeout = builder.stopTimeout;
    }

    /**
     * @param projection what to keep current
     * @param durable    the store's catch-up channel, followed from the projection's checkpoint
     * @param fast       the in-process channel the appending threads publish to
     */
    public static Builder builder(Projection<?, ?> projection, DurableChannel durable, FastChannel fast) {
        return new Builder(projection, durable, fast);
    }

    @Override
    public String name() {
        return "projector " + projection.name();
    }

    public Projection<?, ?> projection() {
        return projection;
    }

    /** Consumers, not counting the checkpoint stage: 1 in global order. */
    public int shards() {
        return shards;
    }

    /** Commits published to the ring and not yet processed by every consumer. */
    public long backlog() {
        RingBuffer<Slot> current = ring;
        return current == null ? 0 : current.getBufferSize() - current.remainingCapacity();
    }

    /**
     * Commits the durable channel has delivered into the ring since this projector was built, whatever their
     * category (and duplicates too): a rebuild's progress in stream order.
     */
    public long durableDelivered() {
        return durableDelivered.sum();
    }

    /**
     * Global order: fast-channel hints put in the ring without waking its consumers, because the commit did not
     * {@linkplain Projection#needsPromptly need the projection promptly}; they are taken with the next hint that does,
     * or when the consumers next time out, at most 64 times the idle wait later.
     */
    public long quietHints() {
        return quietHints.sum();
    }

    /** Commits a consumer failed on (logged); in stream order the checkpoint stops short of the first. */
    public long consumerFailures() {
        return consumerFailures.sum();
    }

    @Override
    public synchronized void start() {
        if (disruptor != null) {
            throw new IllegalStateException(name() + " is already running");
        }
        Optional<Checkpoint> from = projection.loadCheckpoint();
        hintedThrough.set(0); // what an earlier run's ring held is not this gate's
        synchronized (hintsAhead) {
            hintsAhead.clear();
        }
        AtomicInteger threadCount = new AtomicInteger();
        boolean global = projection.ordering() == Ordering.GLOBAL_POSITION;
        // global order: one gate, then one writer, and no keeper
        BlockingThenParkingWaitStrategy waits = new BlockingThenParkingWaitStrategy(idleWait.toNanos(),
                TimeUnit.NANOSECONDS, global);
        Disruptor<Slot> d = new Disruptor<>(Slot::new, ringSize, runnable -> {
            Thread thread = new Thread(runnable, "cairn-projector-" + projection.name() + "-"
                    + threadCount.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        }, ProducerType.MULTI, waits);
        d.setDefaultExceptionHandler(new LoggingExceptionHandler());
        GateHandler[] gates = new GateHandler[shards];
        WriterHandler[] writers = new WriterHandler[shards];
        for (int i = 0; i < shards; i++) {
            ProjectionShard<?, ?> shard = projection.shard(i, shards, from);
            gates[i] = new GateHandler(shard, waits);
            writers[i] = new WriterHandler(shard.writer(), global, waits);
        }
        var stages = d.handleEventsWith(gates).then(writers);
        if (!global) {
            stages.then(new KeeperHandler(projection.checkpointKeeper(), waits));
        }
        RingBuffer<Slot> started = d.start();
        this.disruptor = d;
        this.ring = started;
        this.waits = waits;
        projection.wakeWith(waits::poke); // a reader waiting for a position takes the quiet hints at once
        try {
            endSeenAt = -1;
            durableSubscription = durable.subscribe(from, new DurableChannel.Listener() {
                @Override
                public void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
                    durableDelivered.increment();
                    if (projection.releasedAlready(commit)) {
                        return; // global order: the fast channel brought it, and the checkpoint is the gate's
                    }
                    started.publishEvent(TRANSLATOR, commit, Delivery.durable(checkpoint));
                }

                @Override
                public void reachedEnd() {
                    endSeenAt = started.getCursor(); // everything the channel delivered is published up to here
                }

                @Override
                public long hasThrough() {
                    // only while hints come: without them the gate has only what this channel brought
                    if (!global || !hinted || fastSubscription == null) {
                        return 0;
                    }
                    // a hint in the ring is as good as released: the gate takes it, a quiet one a little later
                    return Math.max(projection.releasedThrough(), hintedThrough.get());
                }
            });
            listen(fast, started);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Subscribes to {@code channel}'s hints into the ring (from the appending threads, never waiting). */
    private void listen(FastChannel channel, RingBuffer<Slot> into) {
        // in stream order a gate takes only its projection's streams: another category's hint would only wake
        // the ring to be passed over (in global order every position counts, so every hint goes in)
        boolean everyHint = projection.ordering() == Ordering.GLOBAL_POSITION;
        long quietRoom = into.getBufferSize() / 2; // a ring half full wakes its consumers whatever comes
        BlockingThenParkingWaitStrategy ringWaits = waits;
        fastSubscription = channel.listen(commit -> {
            if (!everyHint && !projection.projects(commit)) {
                return;
            }
            if (!hinted) {
                hinted = true;
            }
            boolean published;
            if (everyHint && !projection.needsPromptly(commit) && into.remainingCapacity() > quietRoom) {
                // only moves the position on: taken with the next hint that matters, or at the next timeout
                published = ringWaits.quietly(() -> into.tryPublishEvent(TRANSLATOR, commit, Delivery.FAST));
                if (published) {
                    quietHints.increment();
                }
            } else {
                published = into.tryPublishEvent(TRANSLATOR, commit, Delivery.FAST);
            }
            if (!published) {
                projection.recordDropped();
            } else if (everyHint) {
                noteHinted(commit.position().orElse(-1));
            }
        });
    }

    /**
     * Global order: moves {@link #hintedThrough} on when {@code position}, just put in the ring, follows straight on
     * from what the gate released or the hints before it covered, and then over the hints that came ahead of it. A
     * hint that comes before the one ahead of it is remembered (at most {@link #ringSize} of them) until that one
     * comes: the appending threads of one batch publish their hints in any order, and without them the durable
     * channel would read and deliver again every commit of the batch. Called from the appending threads.
     */
    private void noteHinted(long position) {
        synchronized (hintsAhead) {
            long through = Math.max(projection.releasedThrough(), hintedThrough.get());
            if (!hintsAhead.isEmpty()) {
                hintsAhead.headSet(through, true).clear(); // released meanwhile, or covered already
            }
            if (position <= through) {
                return;
            }
            if (position != through + 1) {
                if (hintsAhead.size() < ringSize) {
                    hintsAhead.add(position);
                }
                return;
            }
            long last = position;
            while (hintsAhead.remove(last + 1)) {
                last++;
            }
            hintedThrough.accumulateAndGet(last, Math::max);
        }
    }

    /**
     * Starts following {@code channel} as well, when this projector was built on {@link FastChannel#none()}: a
     * rebuilt generation, which follows only the durable channel while it catches up, takes the fast channel once
     * it serves queries. Only for a projector built on {@code FastChannel.none()} (otherwise it would take every
     * hint twice, which costs only duplicates). Does nothing when stopped or after the first call.
     */
    public synchronized void followFast(FastChannel channel) {
        requireNonNull(channel, "channel must not be null");
        if (ring == null || followsFastLate) {
            return;
        }
        if (fastSubscription != null) {
            fastSubscription.close();
        }
        followsFastLate = true;
        listen(channel, ring);
    }

    /**
     * Whether the durable channel has said it reached the end of what the store holds
     * ({@link DurableChannel.Listener#reachedEnd()}) and every consumer has since processed, and stored, everything
     * it had delivered until then. In stream order this is what "caught up" means for a rebuild; false until the
     * channel says so (channels in global order never do: see {@link Projection#appliedPosition()}).
     */
    public boolean durableEndProcessed() {
        RingBuffer<Slot> current = ring;
        long end = endSeenAt;
        return current != null && end >= 0 && current.getMinimumGatingSequence() >= end;
    }

    @Override
    public synchronized void stop() {
        followsFastLate = false;
        if (fastSubscription != null) {
            fastSubscription.close();
            fastSubscription = null;
        }
        if (durableSubscription != null) {
            durableSubscription.close();
            durableSubscription = null;
        }
        if (disruptor == null) {
            return;
        }
        try {
            disruptor.shutdown(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, name() + " did not drain within " + stopTimeout + " (" + backlog()
                    + " commits left); they are delivered again from the checkpoint on the next start");
            threads.forEach(Thread::interrupt);
            disruptor.halt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(stopTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        disruptor = null;
        ring = null;
    }

    /** Stage one: offers each commit to a shard's gate, which shows what it releases at once. */
    private static final class GateHandler implements EventHandler<Slot> {
        private final ProjectionShard<?, ?> shard;
        private final BlockingThenParkingWaitStrategy waits;

        GateHandler(ProjectionShard<?, ?> shard, BlockingThenParkingWaitStrategy waits) {
            this.shard = shard;
            this.waits = waits;
        }

        @Override
        public void onStart() {
            waits.wakeFor(shard::nanosUntilDue);
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            try {
                shard.offer(slot.commit, slot.delivery);
            } finally {
                if (endOfBatch) {
                    shard.expire();
                }
            }
        }

        @Override
        public void onTimeout(long sequence) {
            long before = shard.writer().handOffs();
            shard.expire();
            if (shard.writer().handOffs() != before) {
                waits.poke(); // released with no entry to carry it: the writer stores it now, not at its next look
            }
        }
    }

    /** Stage two: stores what a gate released, at the end of each batch. In global order, the last stage. */
    private static final class WriterHandler implements EventHandler<Slot> {
        private final ViewWriter<?, ?> writer;
        private final boolean lastStage;
        private final BlockingThenParkingWaitStrategy waits;

        WriterHandler(ViewWriter<?, ?> writer, boolean lastStage, BlockingThenParkingWaitStrategy waits) {
            this.writer = writer;
            this.lastStage = lastStage;
            this.waits = waits;
        }

        @Override
        public void onStart() {
            waits.wakeFor(writer::nanosUntilDue);
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (lastStage) {
                slot.clear();
            }
            if (endOfBatch) {
                writer.endOfBatch();
            }
        }

        @Override
        public void onTimeout(long sequence) {
            writer.endOfBatch();
        }

        @Override
        public void onShutdown() {
            writer.finish();
        }
    }

    /** The last stage in stream order: saves the durable checkpoint every shard has passed. */
    private final class KeeperHandler implements EventHandler<Slot> {
        private final CheckpointKeeper keeper;
        private final BlockingThenParkingWaitStrategy waits;
        private boolean stuck;

        KeeperHandler(CheckpointKeeper keeper, BlockingThenParkingWaitStrategy waits) {
            this.keeper = keeper;
            this.waits = waits;
        }

        @Override
        public void onStart() {
            waits.wakeFor(keeper::nanosUntilDue);
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (slot.failed && !stuck) {
                stuck = true;
                LOG.log(Level.ERROR, name() + ": the checkpoint stays before " + slot.commit.stream() + "@"
                        + slot.commit.revision() + ", which failed; restart the projector to retry it");
            }
            if (!stuck) {
                keeper.accept(slot.delivery);
            }
            slot.clear();
            if (endOfBatch) {
                keeper.endOfBatch();
            }
        }

        @Override
        public void onTimeout(long sequence) {
            keeper.endOfBatch(); // a checkpoint the interval held back is saved once it has passed
        }

        @Override
        public void onShutdown() {
            keeper.finish();
        }
    }

    /**
     * A consumer that fails on a commit logs it and goes on; the checkpoint does not move past it. A document
     * projection stops at that commit instead ({@link Projection#stopAt}), and so does any projection on a stored
     * event it cannot read ({@link UnreadableEventException}): reading it again fails the same way, so going on
     * would only skip it.
     */
    private final class LoggingExceptionHandler implements ExceptionHandler<Slot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Slot slot) {
            consumerFailures.increment();
            RecordedCommit commit = slot == null ? null : slot.commit;
            if (slot != null) {
                slot.failed = true;
            }
            LOG.log(Level.ERROR, name() + " failed on " + (commit == null ? "a commit"
                    : commit.stream() + "@" + commit.revision()), ex);
            if (commit != null && (projection.documentStore().isPresent() || unreadable(ex))) {
                // a document projection never goes on past a commit it could not apply, nor any projection past an
                // event it cannot read: it stops there, visibly
                projection.stopAt(commit, ex);
            }
        }

        private static boolean unreadable(Throwable ex) {
            for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
                if (cause instanceof UnreadableEventException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.log(Level.ERROR, name() + " failed to start a consumer", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.log(Level.ERROR, name() + " failed to write its last batch; the durable channel delivers it again", ex);
        }
    }

    /** Settings of the ring; the defaults suit a service. */
    public static final class Builder {
        private final Projection<?, ?> projection;
        private final DurableChannel durable;
        private final FastChannel fast;
        private int ringSize = 8_192;
        private int shards = 2;
        private Duration idleWait;
        private Duration stopTimeout = Duration.ofSeconds(10);

        private Builder(Projection<?, ?> projection, DurableChannel durable, FastChannel fast) {
            this.projection = requireNonNull(projection, "projection must not be null");
            this.durable = requireNonNull(durable, "durable must not be null");
            this.fast = requireNonNull(fast, "fast must not be null");
        }

        /** Entries in the ring, a power of two. */
        public Builder ringSize(int ringSize) {
            if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
                throw new IllegalArgumentException("ringSize must be a power of two >= 2, was " + ringSize);
            }
            this.ringSize = ringSize;
            return this;
        }

        /** Consumers in stream order (each projects the streams hashed to it); ignored in global order. */
        public Builder shards(int shards) {
            if (shards < 1 || shards > 64) {
                throw new IllegalArgumentException("shards must be between 1 and 64, was " + shards);
            }
            this.shards = shards;
            return this;
        }

        /** How long an idle consumer waits before it checks its gap waits again; by default half the gap wait, within
         *  [100 µs, 1 ms]. */
        public Builder idleWait(Duration idleWait) {
            requireNonNull(idleWait, "idleWait must not be null");
            if (idleWait.isNegative() || idleWait.isZero()) {
                throw new IllegalArgumentException("idleWait must be positive, was " + idleWait);
            }
            this.idleWait = idleWait;
            return this;
        }

        /** How long {@link #stop()} waits for the ring to drain. */
        public Builder stopTimeout(Duration stopTimeout) {
            requireNonNull(stopTimeout, "stopTimeout must not be null");
            if (stopTimeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative, was " + stopTimeout);
            }
            this.stopTimeout = stopTimeout;
            return this;
        }

        public DisruptorProjector build() {
            return new DisruptorProjector(this);
        }
    }
}
