package io.cairn.application.port;

import io.cairn.domain.StreamId;
import java.util.Optional;

/**
 * The read model: one view per stream, the aggregate's state at the revision the projector has reached.
 * Queries read it; the command handler uses it as its snapshot. Implementations are thread-safe.
 *
 * @param <S> the aggregate's state type
 */
public interface ViewStore<S> {

    /**
     * @param stream not null
     * @return the stream's view, or empty when the projector has not written one. An adapter that keeps states
     *         outside the heap answers empty for a view written under another
     *         {@link io.cairn.domain.StateCodec#schemaVersion()}, and {@link #put} with {@code replacing} 0
     *         replaces it: a changed state shape is rebuilt in place from the events, never misread.
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<Snapshot<S>> get(StreamId stream);

    /**
     * Writes {@code view} only if the stored view is at revision {@code replacing} (0: there is none). A compare
     * and set on revision: two projectors racing on one stream cannot lose an update, and a view never goes
     * backwards.
     *
     * @param view      not null
     * @param replacing the revision of the view this one replaces, {@code < view.revision()}
     * @return true when written; false when the stored view was not at {@code replacing} (nothing was written)
     * @throws IllegalArgumentException  when {@code replacing >= view.revision()} or {@code replacing < 0}
     * @throws StoreUnavailableException when the store cannot be reached
     */
    boolean put(Snapshot<S> view, long replacing);

    /**
     * Deletes every view of this store (of this view name only: other names in the same table are untouched). For a
     * retired generation of a projection, after queries have moved to the new one: it is not atomic, a reader that
     * still reads this store may see some views gone and others not, and a concurrent {@link #put} may leave its
     * view behind. Slow on stores without a partition per view name (DynamoDB scans the views table). Deleting an
     * empty store does nothing.
     *
     * @throws StoreUnavailableException when the store cannot be reached; some views may be deleted, and calling it
     *                                   again deletes the rest
     */
    void deleteAll();
}
