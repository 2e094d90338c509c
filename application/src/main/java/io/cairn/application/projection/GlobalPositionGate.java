package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.domain.RecordedCommit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gate in global order (a store with a {@link GlobalLog}): the next commit is the one at the next global
 * position, whatever its stream. The one consumer of its projection; it releases every commit (applying those of
 * the streams its projection keeps views for), and its writer saves the position of the contiguous prefix released
 * as the checkpoint. A gap is filled from the global log. Not thread-safe: see {@link ProjectionShard}.
 */
public final class GlobalPositionGate<E, S> extends ProjectionShard<E, S> {

    /** The position of the contiguous prefix released. */
    private long released;
    private final TreeMap<Long, RecordedCommit> held = new TreeMap<>();
    /** When the oldest gap still open began, by the projection's clock; -1 when none is. */
    private long gapSince = -1;

    GlobalPositionGate(Projection<E, S> projection, Optional<Checkpoint> resumeFrom) {
        this(projection, resumeFrom.map(Checkpoint::position).orElse(0L));
    }

    private GlobalPositionGate(Projection<E, S> projection, long resumePosition) {
        super(projection, new ViewWriter.Checkpointing.WithViews(resumePosition));
        this.released = resumePosition;
        projection.releasedPosition = resumePosition; // a restart releases again what came after its checkpoint
        projection.gapOpen = false;
    }

    /** Every commit: the global order runs through all streams. */
    @Override
    public boolean owns(RecordedCommit commit) {
        return true;
    }

    @Override
    public int held() {
        return held.size();
    }

    @Override
    void admit(RecordedCommit commit, boolean durable) {
        long position = commit.position().orElseThrow(() -> new IllegalStateException(
                "commit " + commit.stream() + "@" + commit.revision() + " has no global position"));
        if (position <= released) {
            projection.duplicates.increment();
        } else if (position == released + 1) {
            release(commit);
            releaseHeld();
        } else if (durable) {
            readLogUpTo(position - 1);
            release(commit);
            releaseHeld();
        } else if (held.putIfAbsent(position, commit) != null) {
            projection.duplicates.increment();
        } else if (gapSince < 0) {
            gapSince = projection.clock.getAsLong();
            projection.gapOpen = true;
            projection.gapWaits.increment();
        }
    }

    @Override
    void expireGaps() {
        if (nanosUntilDue() <= 0) {
            readLogUpTo(held.firstKey() - 1);
            releaseHeld();
        }
    }

    @Override
    public long nanosUntilDue() {
        return gapSince < 0 ? Long.MAX_VALUE : gapSince + projection.gapWaitNanos - projection.clock.getAsLong();
    }

    @Override
    void handOffProgress() {
        writer.handOff(released);
    }

    private void release(RecordedCommit commit) {
        if (projection.projects(commit)) {
            applyToView(commit);
        }
        released = commit.position().getAsLong();
        projection.releasedPosition = released;
        projection.released(commit, Optional.of(Checkpoint.atPosition(released)), System.nanoTime());
    }

    private void releaseHeld() {
        while (!held.isEmpty() && held.firstKey() <= released + 1) {
            Map.Entry<Long, RecordedCommit> next = held.pollFirstEntry();
            if (next.getKey() <= released) {
                projection.duplicates.increment();
            } else {
                release(next.getValue());
            }
        }
        if (held.isEmpty() && gapSince >= 0) {
            gapSince = -1;
            projection.gapOpen = false;
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
                    release(commit);
                }
            }
        }
    }
}
