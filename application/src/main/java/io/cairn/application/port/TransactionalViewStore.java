package io.cairn.application.port;

import java.util.List;

/**
 * A view store that keeps its projections' checkpoints beside the views and commits view writes together with a
 * checkpoint, in one transaction (PostgreSQL). A projection that writes through it has an exactly-once effect: a
 * crash can never leave a view written without its checkpoint, or the reverse. It is also the
 * {@link CheckpointStore} of those projections: {@link #checkpoints()}.
 *
 * @param <S> the aggregate's state type
 */
public interface TransactionalViewStore<S> extends ViewStore<S> {

    /**
     * Writes every view, each only if the stored view is at its {@link ViewWrite#replacing()} revision, and saves
     * {@code checkpoint} for {@code projection}: all of it, or nothing.
     *
     * @param writes     not null, possibly empty (then only the checkpoint is saved); at most one per stream
     * @param projection not null or empty
     * @param checkpoint not null
     * @return true when everything was written; false when some stored view was not at its replacing revision,
     *         and then nothing was written, not even the checkpoint
     * @throws IllegalArgumentException  when {@code projection} is empty or two writes are for one stream
     * @throws StoreUnavailableException when the store cannot be reached; nothing or everything was written
     */
    boolean putAll(List<ViewWrite<S>> writes, String projection, Checkpoint checkpoint);

    /** The checkpoints that {@link #putAll} saves, read and written on their own. */
    CheckpointStore checkpoints();
}
