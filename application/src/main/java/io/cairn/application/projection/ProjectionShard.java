package io.cairn.application.projection;

import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One consumer of a projection: the gate and the batch of view writes. Not thread-safe: one thread drives it, the
 * way a Disruptor drives an event handler — {@link #accept} for each commit from either channel,
 * {@link #endOfBatch} when no more are waiting, {@link #idle} when none came for a while.
 *
 * <p>The gate lets through exactly the next commit per ordering key, drops what it has let through before, and
 * holds a fast commit that arrives ahead of its turn. A held commit waits {@code gapWait} for the missing ones to
 * arrive on either channel; then they are read from the store. A durable commit never waits: the channel that is
 * the truth has it stored, so the missing ones are read at once, and the durable checkpoint that follows it may be
 * saved. There are two orders, one class each: {@link GlobalPositionGate} (the next global position) and
 * {@link StreamRevisionGate} (the next revision of the stream's view); this class holds what they share.
 *
 * <p>A released commit is applied to its view, which is shown in the cache at once (visible to queries and the
 * command handler) and handed to this shard's {@link ViewWriter}, which stores it later on a thread of its own: a
 * slow store write never holds up what the gate makes visible. The gate keeps the views it handed over until the
 * writer has stored them, so it never reads a view older than one it released.
 *
 * <p>Driven alone ({@link #accept}, {@link #endOfBatch}, {@link #idle}), the shard writes inline at the end of each
 * batch: the simplest way to run it, and how its tests drive it. A pipeline drives the gate with {@link #offer} and
 * {@link #expire} and the {@link #writer()} on another thread.
 */
public abstract sealed class ProjectionShard<E, S> permits GlobalPositionGate, StreamRevisionGate {

    final Projection<E, S> projection;

    /** Views released and handed to the writer but not yet stored: the gate's view of them. */
    private final Map<StreamId, Snapshot<S>> unwritten = new ConcurrentHashMap<>();
    final ViewWriter<E, S> writer;

    ProjectionShard(Projection<E, S> projection, ViewWriter.Checkpointing checkpointing) {
        this.projection = projection;
        this.writer = new ViewWriter<>(projection, this, checkpointing);
    }

    /** This shard's writer: stores what the gate hands it. */
    public ViewWriter<E, S> writer() {
        return writer;
    }

    /** Whether this shard handles {@code commit}; the others pass it over. */
    public abstract boolean owns(RecordedCommit commit);

    /** Commits held ahead of their turn, for tests and diagnostics. */
    public abstract int held();

    /**
     * Offers a commit to the gate and, driven alone, hands what it releases to the writer's batch.
     *
     * @param commit   not null
     * @param delivery not null: which channel brought it
     */
    public final void accept(RecordedCommit commit, Delivery delivery) {
        offer(commit, delivery);
        writer.drain();
    }

    /** Driven alone, at the end of a batch: reads what waited too long and writes the batch inline. */
    public final void endOfBatch() {
        expire();
        writer.endOfBatch();
    }

    /** Driven alone, when nothing arrived for a while: the same as the end of a batch. */
    public final void idle() {
        endOfBatch();
    }

    /**
     * Offers a commit to the gate (pipeline stage one). What it releases is shown at once and handed to the writer.
     *
     * @param commit   not null
     * @param delivery not null: which channel brought it
     * @throws io.cairn.application.port.StoreUnavailableException when interrupted while waiting out a store outage
     * @throws IllegalStateException when the store lacks a commit the channels promised
     */
    public final void offer(RecordedCommit commit, Delivery delivery) {
        if (!owns(commit)) {
            return;
        }
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            admit(commit, delivery instanceof Delivery.Durable);
            expireGaps();
        }
        handOffProgress();
    }

    /** Reads what waited longer than the gap wait (pipeline stage one, when idle or at the end of a batch). */
    public final void expire() {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            expireGaps();
        }
        handOffProgress();
    }

    /** Releases, holds or drops a commit this shard owns; a durable one never waits for what it follows. */
    abstract void admit(RecordedCommit commit, boolean durable);

    /** Reads from the store what held commits waited for longer than the gap wait, and releases them. */
    abstract void expireGaps();

    /**
     * How long, by the projection's clock, until the first held commit's gap wait is over ({@link #expire} then has
     * work): 0 or less when it already is, {@link Long#MAX_VALUE} when nothing is held. For the thread that drives
     * the gate, so that an idle consumer sleeps until then instead of looking again and again.
     */
    public abstract long nanosUntilDue();

    /** Tells the writer how far the gate got, where the writer saves the checkpoint. */
    abstract void handOffProgress();

    // ---- views ----

    /** The stream's view as this shard has it: what it released and the writer has not stored yet, then the cache
     *  and the store. */
    /** Whether this shard has a view of {@code stream} at all: one it released, or one the cache or store holds. */
    final boolean knows(StreamId stream) {
        return unwritten.containsKey(stream) || retrying(() -> projection.views.get(stream)).isPresent();
    }

    /**
     * Takes {@code stream} to be at {@code revision} without folding anything: where a projection starts following
     * a stream it has no view of ({@link Fold#startsAtFirstSight()}).
     */
    final void startAt(StreamId stream, long revision) {
        projection.views.show(new Snapshot<>(stream, revision, projection.fold.initialState(stream), java.util.List.of()));
    }

    final Snapshot<S> view(StreamId stream) {
        Snapshot<S> mine = unwritten.get(stream);
        if (mine != null) {
            return mine;
        }
        return retrying(() -> projection.views.get(stream))
                .orElseGet(() -> Snapshot.initial(stream, projection.fold.initialState(stream)));
    }

    /** Moves the commit's view on by it, shows the result and hands it to the writer. */
    final void applyToView(RecordedCommit commit) {
        StreamId stream = commit.stream();
        Snapshot<S> current = view(stream);
        long before = current.revision();
        if (commit.revision() <= current.revision()) {
            return; // in global order: the view is ahead of the gate (another projector wrote it)
        }
        if (commit.revision() > current.revision() + 1) {
            // in global order: the view is behind, e.g. rebuilt for a new state schema; fold in what it lacks
            current = catchUp(current, commit.revision() - 1);
        }
        Snapshot<S> next;
        try {
            next = projection.fold.apply(current, commit);
        } catch (RuntimeException e) {
            if (!projection.isSkipped(commit)) {
                throw e;
            }
            // a skipped commit the aggregate cannot fold either: the state before it, at its revision
            next = new Snapshot<>(stream, commit.revision(), current.state(), java.util.List.of());
        }
        unwritten.put(stream, next);
        projection.views.show(next);
        projection.applied.increment();
        writer.handOff(new ViewWriter.Change<>(next, before, current, commit));
    }

    /** The writer stored {@code view}: the gate may read it from the cache and store again. */
    final void written(Snapshot<S> view) {
        unwritten.computeIfPresent(view.stream(), (stream, mine) -> mine.revision() <= view.revision() ? null : mine);
    }

    /** {@code from} with the stream's commits up to {@code upTo} read and folded in; also the writer's rebase. */
    final Snapshot<S> catchUp(Snapshot<S> from, long upTo) {
        var caughtUp = retrying(() -> projection.fold.catchUp(projection.store, from, upTo));
        projection.gapCommitsRead.add(caughtUp.commitsRead());
        if (caughtUp.snapshot().revision() != upTo) {
            throw new IllegalStateException("the store returned " + from.stream() + " up to "
                    + caughtUp.snapshot().revision() + " but a commit at " + (upTo + 1) + " exists");
        }
        return caughtUp.snapshot();
    }

    /** See {@link Projection#retrying}. */
    final <T> T retrying(Supplier<T> call) {
        return projection.retrying(call);
    }
}
