package io.cairn.application.port;

import io.cairn.domain.StreamId;
import java.util.Optional;

/**
 * Keeps at most one snapshot per stream, the newest written. Used for streams without a view, so that loading
 * them reads only the commits after the snapshot. Implementations are thread-safe.
 *
 * @param <S> the aggregate's state type
 */
public interface SnapshotStore<S> {

    /**
     * @param stream not null
     * @return the stream's snapshot, or empty when there is none. An adapter that keeps states outside the heap
     *         tags each with its {@link io.cairn.domain.StateCodec#schemaVersion()} and answers empty for a
     *         snapshot of another version, so a changed state shape is rebuilt from events, never misread.
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<Snapshot<S>> load(StreamId stream);

    /**
     * Stores {@code snapshot} only if it is newer than the stored one: a snapshot never goes backwards, so
     * concurrent or late writers cannot overwrite a newer snapshot with an older one.
     *
     * @param snapshot not null, with revision {@code >= 1}
     * @return true when it was stored; false when a snapshot at the same or a higher revision is already there
     * @throws IllegalArgumentException  for a snapshot at revision 0
     * @throws StoreUnavailableException when the store cannot be reached
     */
    boolean save(Snapshot<S> snapshot);
}
