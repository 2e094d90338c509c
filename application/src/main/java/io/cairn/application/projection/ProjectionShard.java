package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.StreamSlice;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * command handler) and written to the store at the end of the batch, one compare-and-set write per stream touched.
 * In global order the checkpoint (the position of the contiguous prefix released) is saved with them, in one
 * transaction where the view store is transactional. Store outages are waited out, retrying; nothing is skipped.
 */
public final class ProjectionShard<E, S> {

    private static final System.Logger LOG = System.getLogger(ProjectionShard.class.getName());
    private static final int MAX_WRITE_ATTEMPTS = 16;

    private final Projection<E, S> projection;
    private final int index;
    private final int count;
    private final boolean global;

    /** Global order: the position of the contiguous prefix released, and of the one saved. */
    private long released;
    private long savedPosition;
    private final TreeMap<Long, RecordedCommit> heldByPosition = new TreeMap<>();
    private long gapSince = -1;

    /** Stream order: commits that arrived ahead of their view, per stream. */
    private final Map<StreamId, Held> heldByStream = new HashMap<>();

    private final Map<StreamId, Pending<S>> pending = new LinkedHashMap<>();
    private final List<RecordedCommit> batch = new ArrayList<>();

    ProjectionShard(Projection<E, S> projection, int index, int count, Optional<Checkpoint> resumeFrom) {
        this.projection = projection;
        this.index = index;
        this.count = count;
        this.global = projection.ordering() == Ordering.GLOBAL_POSITION;
        if (global) {
            this.released = resumeFrom.map(Checkpoint::position).orElse(0L);
            this.savedPosition = released;
        }
    }

    /** Whether this shard handles {@code commit}; the others pass it over. */
    public boolean owns(RecordedCommit commit) {
        return global || (projection.projects(commit) && Projection.shardOf(commit, count) == index);
    }

    /**
     * Offers a commit to the gate.
     *
     * @param checkpoint the durable channel's checkpoint that comes with it; null for a fast-channel commit
     */
    public void accept(RecordedCommit commit, Checkpoint checkpoint) {
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
    }

    /** No commit is waiting in the ring: reads what waited too long and writes the batch. */
    public void endOfBatch() {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            expireGaps();
            flush();
        }
    }

    /** Nothing arrived for a while: the same as the end of a batch. */
    public void idle() {
        endOfBatch();
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

    /** The stream's view as this shard has it: its own unwritten batch first, then the cache and store. */
    private Snapshot<S> view(StreamId stream) {
        Pending<S> mine = pending.get(stream);
        if (mine != null) {
            return mine.view;
        }
        return retrying(() -> projection.views.get(stream))
                .orElseGet(() -> Snapshot.initial(stream, projection.aggregate.initialState()));
    }

    private void applyToView(RecordedCommit commit) {
        StreamId stream = commit.stream();
        Pending<S> mine = pending.get(stream);
        Snapshot<S> current = view(stream);
        long base = mine != null ? mine.base : current.revision();
        if (commit.revision() <= current.revision()) {
            return; // in global order: the view is ahead of the gate (another projector wrote it)
        }
        if (commit.revision() > current.revision() + 1) {
            // in global order: the view is behind, e.g. rebuilt for a new state schema; fold in what it lacks
            current = catchUp(current, commit.revision() - 1);
        }
        Snapshot<S> next = projection.replayer.apply(current, commit);
        pending.put(stream, new Pending<>(next, base));
        projection.views.show(next);
        projection.applied.increment();
        batch.add(commit);
    }

    private Snapshot<S> catchUp(Snapshot<S> from, long upTo) {
        var caughtUp = retrying(() -> projection.replayer.catchUp(projection.store, from, upTo, null));
        projection.gapCommitsRead.add(caughtUp.commitsRead());
        if (caughtUp.snapshot().revision() != upTo) {
            throw new IllegalStateException("the store returned " + from.stream() + " up to "
                    + caughtUp.snapshot().revision() + " but a commit at " + (upTo + 1) + " exists");
        }
        return caughtUp.snapshot();
    }

    private void flush() {
        boolean checkpointDue = global && released > savedPosition;
        if (pending.isEmpty() && !checkpointDue) {
            return;
        }
        List<ViewWrite<S>> writes = new ArrayList<>(pending.size());
        for (Pending<S> mine : pending.values()) {
            writes.add(new ViewWrite<>(mine.view, mine.base));
        }
        Checkpoint checkpoint = global ? Checkpoint.atPosition(released) : null;
        if (global && projection.views instanceof TransactionalViewStore<S> transactional) {
            writeTogether(transactional, writes, checkpoint);
        } else {
            for (ViewWrite<S> write : writes) {
                writeOne(write);
            }
            if (checkpoint != null) {
                retrying(() -> {
                    projection.checkpoints.save(projection.name, checkpoint);
                    return null;
                });
            }
        }
        if (checkpoint != null) {
            savedPosition = released;
            projection.saved(checkpoint);
        }
        projection.batches.increment();
        projection.stored(List.copyOf(batch), System.nanoTime());
        pending.clear();
        batch.clear();
    }

    private void writeTogether(TransactionalViewStore<S> store, List<ViewWrite<S>> writes, Checkpoint checkpoint) {
        List<ViewWrite<S>> todo = writes;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            List<ViewWrite<S>> these = todo;
            if (retrying(() -> store.putAll(these, projection.name, checkpoint))) {
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

    private void writeOne(ViewWrite<S> write) {
        Optional<ViewWrite<S>> todo = Optional.of(write);
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS && todo.isPresent(); attempt++) {
            ViewWrite<S> these = todo.get();
            if (retrying(() -> projection.views.put(these.view(), these.replacing()))) {
                return;
            }
            projection.viewConflicts.increment();
            todo = rebase(these);
        }
        if (todo.isPresent()) {
            throw new IllegalStateException("view of " + write.view().stream() + " kept moving under projection "
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
        Snapshot<S> stored = retrying(() -> projection.views.reload(stream))
                .orElseGet(() -> Snapshot.initial(stream, projection.aggregate.initialState()));
        if (stored.revision() >= write.view().revision()) {
            return Optional.empty();
        }
        Snapshot<S> rebuilt = catchUp(stored, write.view().revision());
        projection.views.show(rebuilt);
        return Optional.of(new ViewWrite<>(rebuilt, stored.revision()));
    }

    /**
     * Runs a store call until the store answers: an outage stalls the projection, it never skips a commit. An
     * interrupt (the projector being stopped) ends the wait with the store's exception.
     */
    private <T> T retrying(Supplier<T> call) {
        return projection.retrying(call);
    }

    private record Pending<S>(Snapshot<S> view, long base) {
    }

    private static final class Held {
        final long since;
        final TreeMap<Long, RecordedCommit> commits = new TreeMap<>();

        Held(long since) {
            this.since = since;
        }
    }

    static <T> T retry(Projection<?, ?> projection, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                projection.storeRetries.increment();
                if (attempt == 1) {
                    LOG.log(Level.WARNING, "projection " + projection.name + ": the store is unavailable ("
                            + e.getMessage() + "); retrying until it is back");
                }
                long pause = Math.min(projection.retryBackoff.toMillis() * attempt, 5_000);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
