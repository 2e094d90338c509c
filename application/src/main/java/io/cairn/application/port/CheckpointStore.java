package io.cairn.application.port;

import java.util.Optional;

/**
 * Remembers, per projection, the checkpoint of its durable channel that it has fully processed. Saved after
 * processing, so that a restarted projection resumes there: commits after it are delivered again (and dropped by
 * the view's revision check if they were already applied), none before it are lost. Thread-safe.
 */
public interface CheckpointStore {

    /**
     * @param projection the projection's name, not null or empty
     * @return the last checkpoint saved for it, or empty when it has never saved one
     * @throws IllegalArgumentException  when {@code projection} is empty
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<Checkpoint> load(String projection);

    /**
     * Replaces the projection's checkpoint. Durable once it returns.
     *
     * @param projection not null or empty
     * @param checkpoint not null
     * @throws IllegalArgumentException  when {@code projection} is empty
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void save(String projection, Checkpoint checkpoint);

    /**
     * Forgets the projection's checkpoint, so that {@link #load} answers empty: what deleting a retired generation
     * of a projection does (see {@code io.cairn.application.projection.GenerationRecord}). Deleting a checkpoint that
     * does not exist does nothing. Durable once it returns.
     *
     * @param projection not null or empty
     * @throws IllegalArgumentException  when {@code projection} is empty
     * @throws StoreUnavailableException when the store cannot be reached
     */
    void delete(String projection);
}
