package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Stores what one {@link ProjectionShard}'s gate released: the second stage of the projection. The gate hands over
 * each view it moved (already visible in the cache); the writer coalesces them per stream and, at the end of its
 * batch, writes one compare-and-set per stream touched, all at once where the store writes concurrently. In
 * global order it saves the checkpoint with them (the position the gate had released when it handed them over), in
 * one transaction where the view store is transactional. The slower the store, the larger the batches: a write
 * never holds up the gate.
 *
 * <p>{@link #handOff} is called by the gate's thread; everything else by the writer's one thread (the same thread
 * when the shard is driven alone).
 */
public final class ViewWriter<E, S> {

    private static final int MAX_WRITE_ATTEMPTS = 16;

    private final Projection<E, S> projection;
    private final ProjectionShard<E, S> shard;
    private final Checkpointing checkpointing;
    private final Queue<HandOff<S>> handOffs = new ConcurrentLinkedQueue<>();
    /** The gate thread's last handed-over position. */
    private long handedPosition;
    /** Hand-offs so far; the gate thread's. */
    private long handOffCount;

    private final Map<StreamId, Pending<S>> pending = new LinkedHashMap<>();
    private final List<RecordedCommit> batch = new ArrayList<>();
    /** The changes of this batch in release order, kept for a document projection only. */
    private final List<Change<S>> changes = new ArrayList<>();
    private final Projection<E, S>.CheckpointPace pace;
    /** Whether what came before the commit the projection stopped at has been stored. */
    private boolean stoppedFlushed;

    ViewWriter(Projection<E, S> projection, ProjectionShard<E, S> shard, Checkpointing checkpointing) {
        this.projection = projection;
        this.shard = shard;
        this.checkpointing = checkpointing;
        this.handedPosition = checkpointing.position();
        this.pace = projection.new CheckpointPace();
    }

    /** What the gate hands the writer: a view it moved, or how far it released (global order). */
    sealed interface HandOff<S> permits Change, Released {
    }

    /**
     * A view the gate moved: the stored view was at revision {@code before}, {@code from} is the view just before
     * {@code commit} (the same unless the gate had to fold in commits it lacked) and {@code commit} moved it on to
     * {@code view}.
     */
    record Change<S>(Snapshot<S> view, long before, Snapshot<S> from, RecordedCommit commit) implements HandOff<S> {
    }

    /** The gate has released every position up to {@code position}. */
    record Released<S>(long position) implements HandOff<S> {
    }

    /**
     * What the writer saves beside the views: in global order the position the gate had released when it handed
     * them over ({@link WithViews}); in stream order nothing ({@link ByKeeper}), as the {@link CheckpointKeeper}
     * after every shard saves the durable channel's checkpoint.
     */
    sealed interface Checkpointing permits Checkpointing.WithViews, Checkpointing.ByKeeper {

        /** The position released so far; 0 where the checkpoint is not a position. */
        long position();

        /** Notes that the gate released up to {@code position}. */
        void released(long position);

        /** The checkpoint to save with the next batch of views, if this writer saves one. */
        Optional<Checkpoint> current();

        /** Whether {@link #current()} moved since it was last saved. */
        boolean moved();

        /** {@link #current()} was saved. */
        void saved();

        /** Global order: the position of the contiguous prefix released, and of the one saved. */
        final class WithViews implements Checkpointing {
            private long position;
            private long saved;

            WithViews(long resumePosition) {
                this.position = resumePosition;
                this.saved = resumePosition;
            }

            @Override
            public long position() {
                return position;
            }

            @Override
            public void released(long released) {
                position = Math.max(position, released);
            }

            @Override
            public Optional<Checkpoint> current() {
                return Optional.of(Checkpoint.atPosition(position));
            }

            @Override
            public boolean moved() {
                return position > saved;
            }

            @Override
            public void saved() {
                saved = position;
            }
        }

        /** Stream order: the writer saves views only. */
        enum ByKeeper implements Checkpointing {
            INSTANCE;

            @Override
            public long position() {
                return 0;
            }

            @Override
            public void released(long position) {
                throw new IllegalStateException("a gate in stream order releases no positions");
            }

            @Override
            public Optional<Checkpoint> current() {
                return Optional.empty();
            }

            @Override
            public boolean moved() {
                return false;
            }

            @Override
            public void saved() {
            }
        }
    }

    void handOff(Change<S> change) {
        handOffs.add(change);
        handOffCount++;
    }

    /** The gate has released everything up to {@code released} (global order). */
    void handOff(long released) {
        if (released > handedPosition) {
            handedPosition = released;
            handOffs.add(new Released<>(released));
            handOffCount++;
        }
    }

    /**
     * How long, by the projection's clock, until {@link #endOfBatch} has something to store: 0 when the gate handed
     * over views or progress not yet written (say, released by {@link ProjectionShard#expire} while no entry came),
     * the checkpoint interval's remainder when only the checkpoint moved, {@link Long#MAX_VALUE} when nothing waits.
     * For the writer's thread.
     */
    public long nanosUntilDue() {
        if (!handOffs.isEmpty() || !pending.isEmpty()) {
            return 0;
        }
        return checkpointing.moved() && projection.failure() == null ? pace.nanosUntilDue() : Long.MAX_VALUE;
    }

    /**
     * How many times the gate has handed something over so far: compared before and after the gate's own timeout, it
     * says whether that released anything the writer should store now. For the gate's thread.
     */
    public long handOffs() {
        return handOffCount;
    }

    /** Takes what the gate handed over into this batch. */
    public void drain() {
        HandOff<S> item;
        while ((item = handOffs.poll()) != null) {
            if (item instanceof Released<S> released) {
                checkpointing.released(released.position());
            } else if (item instanceof Change<S> change) {
                Pending<S> earlier = pending.get(change.view().stream());
                long base = earlier != null ? earlier.base : change.before();
                pending.put(change.view().stream(), new Pending<>(change.view(), base));
                batch.add(change.commit());
                if (projection.documents.isPresent()) {
                    changes.add(change);
                }
            }
        }
    }

    /**
     * Writes the batch: the views it touched and, in global order, the checkpoint with them. A batch without views
     * saves the checkpoint alone only as often as the projection's checkpoint interval allows.
     */
    public void endOfBatch() {
        drain();
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            flush(false);
        }
    }

    /** Writes what is left, the checkpoint included whatever the interval: when the projector stops. */
    public void finish() {
        drain();
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            flush(true);
        }
    }

    private void flush(boolean force) {
        if (projection.failure() != null) {
            if (!stoppedFlushed) {
                stoppedFlushed = true;
                flushBefore(projection.failure());
            }
            discard(); // stopped: nothing more is stored, so that a restart resumes at the commit it stopped at
            return;
        }
        if (pending.isEmpty()) {
            projection.appliedThrough(checkpointing.position()); // nothing released since is this projection's
        }
        if (pending.isEmpty() && !checkpointing.moved()) {
            return;
        }
        if (pending.isEmpty() && !force && !pace.due()) {
            return; // only the checkpoint moved: it is saved on its own at the pace the projection allows
        }
        List<ViewWrite<S>> writes = new ArrayList<>(pending.size());
        for (Pending<S> mine : pending.values()) {
            writes.add(new ViewWrite<>(mine.view, mine.base));
        }
        Optional<Checkpoint> checkpoint = checkpointing.current();
        if (projection.documents.isPresent() && !changes.isEmpty()) {
            flushDocuments(projection.documents.get(), checkpoint);
            return;
        }
        if (checkpoint.isPresent() && projection.views instanceof TransactionalViewStore<S> transactional) {
            writeTogether(transactional, writes, checkpoint.get());
        } else {
            writeEach(writes);
            checkpoint.ifPresent(projection::saveCheckpoint);
        }
        if (checkpoint.isPresent()) {
            checkpointing.saved();
            pace.saved();
            projection.saved(checkpoint.get());
        }
        for (Pending<S> mine : pending.values()) {
            shard.written(mine.view);
        }
        projection.batches.increment();
        projection.stored(List.copyOf(batch), System.nanoTime());
        projection.appliedThrough(checkpointing.position());
        pending.clear();
        batch.clear();
    }

    /**
     * A document projection's batch: the sink applies the changes to documents and stores them with the states
     * and checkpoint; if it stops at a commit, what came before it is stored and the rest discarded.
     */
    private void flushDocuments(DocumentSink<E, S, ?> sink, Optional<Checkpoint> checkpoint) {
        DocumentSink.Outcome outcome = sink.write(projection, changes, checkpoint);
        stored(changes.subList(0, outcome.written()));
        projection.batches.increment();
        if (outcome.failure().isPresent()) {
            projection.stop(outcome.failure().get());
            discard();
            return;
        }
        if (checkpoint.isPresent()) {
            checkpointing.saved();
            pace.saved();
            projection.saved(checkpoint.get());
        }
        projection.appliedThrough(checkpointing.position());
        pending.clear();
        batch.clear();
        changes.clear();
    }

    /**
     * The projection stopped at a commit while this batch was on its way (its gate failed on it): the commits
     * released before it are stored, with the checkpoint just before it in global order; nothing at or after it.
     */
    private void flushBefore(ProjectionFailure failure) {
        if (projection.documents.isEmpty()) {
            return;
        }
        List<Change<S>> before = new ArrayList<>();
        for (Change<S> change : changes) {
            RecordedCommit commit = change.commit();
            boolean after = failure.position().isPresent() && commit.position().isPresent()
                    ? commit.position().getAsLong() >= failure.position().getAsLong()
                    : commit.stream().equals(failure.stream()) && commit.revision() >= failure.revision();
            if (!after) {
                before.add(change);
            }
        }
        Optional<Checkpoint> checkpoint = failure.position().isPresent() && failure.position().getAsLong() > 1
                ? Optional.of(Checkpoint.atPosition(failure.position().getAsLong() - 1))
                : Optional.empty();
        if (before.isEmpty() && checkpoint.isEmpty()) {
            return;
        }
        DocumentSink.Outcome outcome = projection.documents.get().write(projection, before, checkpoint);
        stored(before.subList(0, outcome.written()));
    }

    /** These changes' documents and states are stored: the gate may read their views from the store again. */
    private void stored(List<Change<S>> stored) {
        List<RecordedCommit> commits = new ArrayList<>(stored.size());
        for (Change<S> change : stored) {
            shard.written(change.view());
            commits.add(change.commit());
        }
        projection.stored(commits, System.nanoTime());
    }

    private void discard() {
        pending.clear();
        batch.clear();
        changes.clear();
    }

    private void writeTogether(TransactionalViewStore<S> store, List<ViewWrite<S>> writes, Checkpoint checkpoint) {
        List<ViewWrite<S>> todo = writes;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            List<ViewWrite<S>> these = todo;
            if (projection.retrying(() -> store.putAll(these, projection.name, checkpoint))) {
                return;
            }
            projection.viewConflicts.increment();
            List<ViewWrite<S>> rebased = new ArrayList<>(these.size());
            for (ViewWrite<S> write : these) {
                rebase(write).ifPresent(rebased::add);
            }
            todo = rebased;
        }
        throw new IllegalStateException("views kept moving under projection " + projection.name);
    }

    /**
     * Writes each view on its own compare-and-set, all of them at once where the store writes concurrently
     * ({@link io.cairn.application.port.ViewStore#putEach}); those that lost are rebased and written again, each up
     * to {@value #MAX_WRITE_ATTEMPTS} times, as if written one by one.
     */
    private void writeEach(List<ViewWrite<S>> writes) {
        List<ViewWrite<S>> todo = writes;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS && !todo.isEmpty(); attempt++) {
            List<ViewWrite<S>> these = todo;
            List<Boolean> written = projection.retrying(() -> projection.views.putEach(these));
            List<ViewWrite<S>> rebased = new ArrayList<>();
            for (int i = 0; i < these.size(); i++) {
                if (!written.get(i)) {
                    projection.viewConflicts.increment();
                    rebase(these.get(i)).ifPresent(rebased::add);
                }
            }
            todo = rebased;
        }
        if (!todo.isEmpty()) {
            throw new IllegalStateException("view of " + todo.get(0).view().stream() + " kept moving under projection "
                    + projection.name);
        }
    }

    /**
     * A write whose compare-and-set lost: reread the stored view. Already as far (a write of ours that landed
     * before an outage hid its answer, or another projector): nothing to do. Behind: fold the missing commits
     * into what is stored and write that instead.
     */
    private Optional<ViewWrite<S>> rebase(ViewWrite<S> write) {
        StreamId stream = write.view().stream();
        Snapshot<S> stored = projection.retrying(() -> projection.views.reload(stream))
                .orElseGet(() -> Snapshot.initial(stream, projection.fold.initialState(stream)));
        if (stored.revision() >= write.view().revision()) {
            return Optional.empty();
        }
        Snapshot<S> rebuilt = shard.catchUp(stored, write.view().revision());
        projection.views.show(rebuilt);
        return Optional.of(new ViewWrite<>(rebuilt, stored.revision()));
    }

    private record Pending<S>(Snapshot<S> view, long base) {
    }
}
