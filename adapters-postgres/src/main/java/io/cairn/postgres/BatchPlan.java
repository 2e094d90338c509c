package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PendingAppend.Appended;
import io.cairn.postgres.PendingAppend.Conflict;
import io.cairn.postgres.PendingAppend.Duplicate;
import io.cairn.postgres.PendingAppend.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What becomes of each append of a batch, decided while the batch's transaction holds the counter lock: the same
 * rules as one append at a time, applied in queue order, each append seeing the ones before it in the batch.
 *
 * <ol>
 *   <li>A commitId already in the stream (stored, or earlier in this batch) is a {@link Duplicate}.</li>
 *   <li>Otherwise an expected revision other than the stream's is a {@link Conflict}.</li>
 *   <li>Otherwise the commit is {@link Appended} at the stream's next revision and the next global position.</li>
 * </ol>
 *
 * One append's conflict or duplicate changes nothing for the others.
 */
final class BatchPlan {

    /**
     * What the database held for one append's stream when the lock was taken.
     *
     * @param revision          the stream's revision, 0 when it does not exist
     * @param lastEventNumber   the number of its last event, 0 when it does not exist
     * @param duplicatePosition the position of a stored commit of this stream with the append's commitId
     */
    record Stored(long revision, long lastEventNumber, OptionalLong duplicatePosition) {
        Stored {
            requireNonNull(duplicatePosition, "duplicatePosition must not be null");
        }
    }

    private final List<Outcome> outcomes;
    private final List<RecordedCommit> toStore;
    private final long lastPosition;

    private BatchPlan(List<Outcome> outcomes, List<RecordedCommit> toStore, long lastPosition) {
        this.outcomes = outcomes;
        this.toStore = toStore;
        this.lastPosition = lastPosition;
    }

    /**
     * @param batch        the appends, in queue order
     * @param stored       for each append, at the same index, what its stream held
     * @param lastPosition the counter: the last position taken before this batch
     * @param recordedAt   the time to record the batch's commits at
     */
    static BatchPlan decide(List<PendingAppend> batch, List<Stored> stored, long lastPosition, Instant recordedAt) {
        if (batch.size() != stored.size()) {
            throw new IllegalArgumentException(batch.size() + " appends but " + stored.size() + " stream states");
        }
        Map<StreamId, RecordedCommit> heads = new HashMap<>();
        Map<StreamCommit, Long> appendedIds = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        List<RecordedCommit> toStore = new ArrayList<>(batch.size());
        long position = lastPosition;
        for (int i = 0; i < batch.size(); i++) {
            PendingAppend append = batch.get(i);
            Stored before = stored.get(i);
            StreamCommit id = new StreamCommit(append.stream(), append.commit().commitId());
            RecordedCommit head = heads.get(append.stream());
            long revision = head == null ? before.revision() : head.revision();
            long lastEventNumber = head == null ? before.lastEventNumber() : head.lastEventNumber();
            OptionalLong wanted = append.expected().toRevision();

            if (before.duplicatePosition().isPresent()) {
                outcomes.add(new Duplicate(before.duplicatePosition().getAsLong()));
            } else if (appendedIds.containsKey(id)) {
                outcomes.add(new Duplicate(appendedIds.get(id)));
            } else if (wanted.isPresent() && wanted.getAsLong() != revision) {
                outcomes.add(new Conflict(revision));
            } else {
                position++;
                RecordedCommit recorded = RecordedCommit.of(append.stream(), revision + 1, lastEventNumber + 1,
                        append.commit(), recordedAt, OptionalLong.of(position));
                heads.put(append.stream(), recorded);
                appendedIds.put(id, position);
                toStore.add(recorded);
                outcomes.add(new Appended(recorded));
            }
        }
        return new BatchPlan(List.copyOf(outcomes), List.copyOf(toStore), position);
    }

    /** The outcome of the append at {@code index} of the batch. */
    Outcome outcome(int index) {
        return outcomes.get(index);
    }

    /** The commits to insert, at consecutive positions from the old counter + 1. */
    List<RecordedCommit> toStore() {
        return toStore;
    }

    /** The counter after this batch: the position of its last stored commit, or the old counter. */
    long lastPosition() {
        return lastPosition;
    }

    private record StreamCommit(StreamId stream, UUID commitId) {
    }
}
