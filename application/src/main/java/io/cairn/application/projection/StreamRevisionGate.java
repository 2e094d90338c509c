package io.cairn.application.projection;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gate in stream order (a store without a global order, DynamoDB): the next commit of a stream is the one at
 * its view's next revision. One of {@code count} consumers, each owning the streams {@link Projection#shardOf}
 * hashes to it; a gap is filled by reading the stream. It saves no checkpoint: a {@link CheckpointKeeper} after
 * every shard's writer saves the durable channel's. Not thread-safe: see {@link ProjectionShard}.
 */
public final class StreamRevisionGate<E, S> extends ProjectionShard<E, S> {

    private final int index;
    private final int count;
    /** Commits that arrived ahead of their view, per stream. */
    private final Map<StreamId, Held> held = new HashMap<>();

    StreamRevisionGate(Projection<E, S> projection, int index, int count) {
        super(projection, ViewWriter.Checkpointing.ByKeeper.INSTANCE);
        this.index = index;
        this.count = count;
    }

    /** The commits of the streams its projection keeps views for that hash to this shard. */
    @Override
    public boolean owns(RecordedCommit commit) {
        return projection.projects(commit) && Projection.shardOf(commit, count) == index;
    }

    @Override
    public int held() {
        int commits = 0;
        for (Held h : held.values()) {
            commits += h.commits.size();
        }
        return commits;
    }

    @Override
    void admit(RecordedCommit commit, boolean durable) {
        long revision = commit.revision();
        long current = view(commit.stream()).revision();
        if (current == 0 && revision > 1 && firstSight(commit.stream())) {
            hold(commit); // whichever channel brought it: an earlier one may be just behind; start at the first
            return;
        }
        if (revision <= current) {
            projection.duplicates.increment();
        } else if (revision == current + 1) {
            release(commit);
            releaseHeld(commit.stream());
        } else if (durable) {
            readStreamUpTo(commit.stream(), revision - 1);
            release(commit);
            releaseHeld(commit.stream());
        } else {
            hold(commit);
        }
    }

    /** Holds a commit that came ahead of its turn, for the gap wait. */
    private void hold(RecordedCommit commit) {
        Held waiting = held.get(commit.stream());
        if (waiting == null) {
            waiting = new Held(projection.clock.getAsLong());
            held.put(commit.stream(), waiting);
            projection.gapWaits.increment();
        }
        if (waiting.commits.putIfAbsent(commit.revision(), commit) != null) {
            projection.duplicates.increment();
        }
    }

    @Override
    void expireGaps() {
        if (held.isEmpty()) {
            return;
        }
        long now = projection.clock.getAsLong();
        List<StreamId> expired = new ArrayList<>();
        for (Map.Entry<StreamId, Held> entry : held.entrySet()) {
            if (now - entry.getValue().since >= projection.gapWaitNanos) {
                expired.add(entry.getKey());
            }
        }
        for (StreamId stream : expired) {
            long first = held.get(stream).commits.firstKey();
            if (view(stream).revision() == 0 && firstSight(stream)) {
                startAt(stream, first - 1); // no channel brought an earlier one: start at the first seen
            } else {
                readStreamUpTo(stream, first - 1);
            }
            releaseHeld(stream);
        }
    }

    @Override
    public long nanosUntilDue() {
        if (held.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long first = Long.MAX_VALUE;
        for (Held waiting : held.values()) {
            first = Math.min(first, waiting.since);
        }
        return first + projection.gapWaitNanos - projection.clock.getAsLong();
    }

    /** A stream the projection starts following at the first commit it sees, and has no view of yet. */
    private boolean firstSight(StreamId stream) {
        return projection.fold.startsAtFirstSight() && !knows(stream);
    }

    /** Nothing: the checkpoint keeper, not the writer, saves the checkpoint in stream order. */
    @Override
    void handOffProgress() {
    }

    private void release(RecordedCommit commit) {
        applyToView(commit);
        projection.released(commit, Optional.empty(), System.nanoTime());
    }

    private void releaseHeld(StreamId stream) {
        Held waiting = held.get(stream);
        if (waiting == null) {
            return;
        }
        long current = view(stream).revision();
        while (!waiting.commits.isEmpty() && waiting.commits.firstKey() <= current + 1) {
            Map.Entry<Long, RecordedCommit> next = waiting.commits.pollFirstEntry();
            if (next.getKey() <= current) {
                projection.duplicates.increment();
            } else {
                release(next.getValue());
                current = next.getKey();
            }
        }
        if (waiting.commits.isEmpty()) {
            held.remove(stream);
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
                release(commit);
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

    private static final class Held {
        final long since;
        final TreeMap<Long, RecordedCommit> commits = new TreeMap<>();

        Held(long since) {
            this.since = since;
        }
    }
}
