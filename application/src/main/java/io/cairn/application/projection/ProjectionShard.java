package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One consumer of a projection: the gate and the batch of view writes. Not thread-safe: one thread drives it, the
 * way a Disruptor drives an event handler — {@link #accept} for each commit from either channel,
 * {@link #endOfBatch} when no more are waiting, {@link #idle} when none came for a while.
 *
 * <p>The gate lets through exactly the next commit per ordering key (the next global position, or the next
 * revision of the stream's view), drops what it has let through before, and holds a fast commit that arrives
 * ahead of its turn. A held commit waits {@code gapWait} for the missing ones to arrive on either channel; then they
 * are read from the store. A durable commit never waits: the channel that is the truth has it stored, so the
 * missing ones are read at once, and the durable checkpoint that follows it may be saved.
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
public final class ProjectionShard<E, S> {


    private final Projection<E, S> projection;
    private final int index;
    private final int count;
    private final boolean global;

    /** Global order: the position of the contiguous prefix released, and of the one saved. */
    private long released;
    private final TreeMap<Long, RecordedCommit> heldByPosition = new TreeMap<>();
    private long gapSince = -1;

    /** Stream order: commits that arrived ahead of their view, per stream. */
    private final Map<StreamId, Held> heldByStream = new HashMap<>();

    /** Views released and handed to the writer but not yet stored: the gate's view of them. */
    private final Map<StreamId, Snapshot<S>> unwritten = new ConcurrentHashMap<>();
    private final ViewWriter<E, S> writer;

    ProjectionShard(Projection<E, S> projection, int index, int count, Optional<Checkpoint> resumeFrom) {
        this.projection = projection;
        this.index = index;
        this.count = count;
        this.global = projection.ordering() == Ordering.GLOBAL_POSITION;
        if (global) {
            this.released = resumeFrom.map(Checkpoint::position).orElse(0L);
        }
        this.writer = new ViewWriter<>(projection, this, global, released);
    }

    /** This shard's writer: stores what the gate hands it. */
    public ViewWriter<E, S> writer() {
        return writer;
    }

    /** Whether this shard handles {@code commit}; the others pass it over. */
    public boolean owns(RecordedCommit commit) {
        return global || (projection.projects(commit) && Projection.shardOf(commit, count) == index);
    }

    /** Offers a commit to the gate and, driven alone, hands what it releases to the writer's batch. */
    public void accept(RecordedCommit commit, Checkpoint checkpoint) {
        offer(commit, checkpoint);
        writer.drain();
    }

    /** Driven alone, at the end of a batch: reads what waited too long and writes the batch inline. */
    public void endOfBatch() {
        expire();
        writer.endOfBatch();
    }

    /** Driven alone, when nothing arrived for a while: the same as the end of a batch. */
    public void idle() {
        endOfBatch();
    }

    /**
     * Offers a commit to the gate (pipeline stage one). What it releases is shown at once and handed to the writer.
     *
     * @param checkpoint the durable channel's checkpoint that comes with it; null for a fast-channel commit
     */
    public void offer(RecordedCommit commit, Checkpoint checkpoint) {
        if (!owns(commit)) {
            return;
        }
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            if (global) {
                acceptByPosition(commit, checkpoint != null);
            } else {
                acceptByRevision(commit, checkpoint != null);
            }
            expireGaps();
        }
        if (global) {
            writer.handOff(released);
        }
    }

    /** Reads what waited longer than the gap wait (pipeline stage one, when idle or at the end of a batch). */
    public void expire() {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            expireGaps();
        }
        if (global) {
            writer.handOff(released);
        }
    }

    /** Commits held ahead of their turn, for tests and diagnostics. */
    public int held() {
        int held = heldByPosition.size();
        for (Held h : heldByStream.values()) {
            held += h.commits.size();
        }
        return held;
    }

    // ---- global order ----

    private void acceptByPosition(RecordedCommit commit, boolean durable) {
        long position = commit.position().orElseThrow(() -> new IllegalStateException(
                "commit " + commit.stream() + "@" + commit.revision() + " has no global position"));
        if (position <= released) {
            projection.duplicates.increment();
        } else if (position == released + 1) {
            releaseByPosition(commit);
            releaseHeldByPosition();
        } else if (durable) {
            readLogUpTo(position - 1);
            releaseByPosition(commit);
            releaseHeldByPosition();
        } else if (heldByPosition.putIfAbsent(position, commit) != null) {
            projection.duplicates.increment();
        } else if (gapSince < 0) {
            gapSince = projection.clock.getAsLong();
            projection.gapWaits.increment();
        }
    }

    private void releaseByPosition(RecordedCommit commit) {
        if (projection.projects(commit)) {
            applyToView(commit);
        }
        released = commit.position().getAsLong();
        projection.released(commit, Checkpoint.atPosition(released), System.nanoTime());
    }

    private void releaseHeldByPosition() {
        while (!heldByPosition.isEmpty() && heldByPosition.firstKey() <= released + 1) {
            Map.Entry<Long, RecordedCommit> next = heldByPosition.pollFirstEntry();
            if (next.getKey() <= released) {
                projection.duplicates.increment();
            } else {
                releaseByPosition(next.getValue());
            }
        }
        if (heldByPosition.isEmpty()) {
            gapSince = -1;
        }
    }

    /** Reads the commits after {@link #released} up to {@code upTo} from the global log and releases them. */
    private void readLogUpTo(long upTo) {
        GlobalLog log = projection.log.orElseThrow();
        while (released < upTo) {
            long from = released + 1;
            int want = (int) Math.min(GlobalLog.MAX_SLICE, upTo - released);
            GlobalSlice slice = retrying(() -> log.readAll(from, want));
            if (slice.commits().isEmpty()) {
                throw new IllegalStateException("the global log has no commit at " + from
                        + " but one at " + (upTo + 1) + " was delivered");
            }
            for (RecordedCommit commit : slice.commits()) {
                long position = commit.position().orElseThrow();
                if (position > upTo) {
                    break;
                }
                if (position > released) {
                    projection.gapCommitsRead.increment();
                    releaseByPosition(commit);
                }
            }
        }
    }

    // ---- stream order ----

    private void acceptByRevision(RecordedCommit commit, boolean durable) {
        long revision = commit.revision();
        long current = view(commit.stream()).revision();
        if (revision <= current) {
            projection.duplicates.increment();
        } else if (revision == current + 1) {
            releaseByRevision(commit);
            releaseHeldByRevision(commit.stream());
        } else if (durable) {
            readStreamUpTo(commit.stream(), revision - 1);
            releaseByRevision(commit);
            releaseHeldByRevision(commit.stream());
        } else {
            Held held = heldByStream.get(commit.stream());
            if (held == null) {
                held = new Held(projection.clock.getAsLong());
                heldByStream.put(commit.stream(), held);
                projection.gapWaits.increment();
            }
            if (held.commits.putIfAbsent(revision, commit) != null) {
                projection.duplicates.increment();
            }
        }
    }

    private void releaseByRevision(RecordedCommit commit) {
        applyToView(commit);
        projection.released(commit, null, System.nanoTime());
    }

    private void releaseHeldByRevision(StreamId stream) {
        Held held = heldByStream.get(stream);
        if (held == null) {
            return;
        }
        long current = view(stream).revision();
        while (!held.commits.isEmpty() && held.commits.firstKey() <= current + 1) {
            Map.Entry<Long, RecordedCommit> next = held.commits.pollFirstEntry();
            if (next.getKey() <= current) {
                projection.duplicates.increment();
            } else {
                releaseByRevision(next.getValue());
                current = next.getKey();
            }
        }
        if (held.commits.isEmpty()) {
            heldByStream.remove(stream);
        }
    }

    /** Reads the stream's commits after its view up to {@code upTo} from the store and releases them. */
    private void readStreamUpTo(StreamId stream, long upTo) {
        EventStore store = projection.store;
        long next = view(stream).revision() + 1;
        while (next <= upTo) {
            long from = next;
            int want = (int) Math.min(EventStore.MAX_SLICE, upTo - next + 1);
            StreamSlice slice = retrying(() -> store.read(stream, from, want));
            for (RecordedCommit commit : slice.commits()) {
                if (commit.revision() > upTo) {
                    break;
                }
                projection.gapCommitsRead.increment();
                releaseByRevision(commit);
                next = commit.revision() + 1;
            }
            if (slice.commits().isEmpty() || slice.endOfStream()) {
                break;
            }
        }
        if (view(stream).revision() < upTo) {
            throw new IllegalStateException("the store returned " + stream + " up to " + view(stream).revision()
                    + " but a commit at " + (upTo + 1) + " was delivered");
        }
    }

    // ---- gap waits ----

    private void expireGaps() {
        if (heldByPosition.isEmpty() && heldByStream.isEmpty()) {
            return;
        }
        long now = projection.clock.getAsLong();
        if (global) {
            if (gapSince >= 0 && now - gapSince >= projection.gapWaitNanos) {
                readLogUpTo(heldByPosition.firstKey() - 1);
                releaseHeldByPosition();
            }
            return;
        }
        List<StreamId> expired = new ArrayList<>();
        for (Map.Entry<StreamId, Held> entry : heldByStream.entrySet()) {
            if (now - entry.getValue().since >= projection.gapWaitNanos) {
                expired.add(entry.getKey());
            }
        }
        for (StreamId stream : expired) {
            readStreamUpTo(stream, heldByStream.get(stream).commits.firstKey() - 1);
            releaseHeldByRevision(stream);
        }
    }

    // ---- views ----

    /** The stream's view as this shard has it: what it released and the writer has not stored yet, then the cache
     *  and the store. */
    private Snapshot<S> view(StreamId stream) {
        Snapshot<S> mine = unwritten.get(stream);
        if (mine != null) {
            return mine;
        }
        return retrying(() -> projection.views.get(stream))
                .orElseGet(() -> Snapshot.initial(stream, projection.aggregate.initialState()));
    }

    private void applyToView(RecordedCommit commit) {
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
        Snapshot<S> next = projection.replayer.apply(current, commit);
        unwritten.put(stream, next);
        projection.views.show(next);
        projection.applied.increment();
        writer.handOff(new ViewWriter.Change<>(next, before, commit));
    }

    /** The writer stored {@code view}: the gate may read it from the cache and store again. */
    void written(Snapshot<S> view) {
        unwritten.computeIfPresent(view.stream(), (stream, mine) -> mine.revision() <= view.revision() ? null : mine);
    }

    /** {@code from} with the stream's commits up to {@code upTo} read and folded in; also the writer's rebase. */
    Snapshot<S> catchUp(Snapshot<S> from, long upTo) {
        var caughtUp = retrying(() -> projection.replayer.catchUp(projection.store, from, upTo, null));
        projection.gapCommitsRead.add(caughtUp.commitsRead());
        if (caughtUp.snapshot().revision() != upTo) {
            throw new IllegalStateException("the store returned " + from.stream() + " up to "
                    + caughtUp.snapshot().revision() + " but a commit at " + (upTo + 1) + " exists");
        }
        return caughtUp.snapshot();
    }

    /** See {@link Projection#retrying}. */
    private <T> T retrying(Supplier<T> call) {
        return projection.retrying(call);
    }

    private static final class Held {
        final long since;
        final TreeMap<Long, RecordedCommit> commits = new TreeMap<>();

        Held(long since) {
            this.since = since;
        }
    }
}
