package io.cairn.application.port;

import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
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
     * Writes each of {@code writes} as {@link #put} writes it: each only if the stored view of its stream is at its
     * {@link ViewWrite#replacing()} revision, each on its own (not atomic: some may be written and others not, and a
     * lost condition of one changes nothing for the others). A store may write them concurrently (DynamoDB does);
     * this default writes them one after the other. What a projector's batch writes outside a transaction.
     *
     * @param writes not null, possibly empty; at most one per stream
     * @return for each write, in the order given, true when it was written, false when the stored view was not at
     *         its replacing revision (that one was not written)
     * @throws IllegalArgumentException  when two writes are for one stream; nothing was written
     * @throws StoreUnavailableException when the store could not be reached for some write. Every write has finished
     *                                   by then (none is left running) and each was written or not, as its own
     *                                   {@link #put} would have been: writing the same writes again finds those that
     *                                   landed already stored (false for them)
     */
    default List<Boolean> putEach(List<ViewWrite<S>> writes) {
        ViewStores.checkDistinctStreams(writes);
        List<Boolean> written = new ArrayList<>(writes.size());
        for (ViewWrite<S> write : writes) {
            written.add(put(write.view(), write.replacing()));
        }
        return written;
    }

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
