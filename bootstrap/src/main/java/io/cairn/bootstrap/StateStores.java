package io.cairn.bootstrap;

import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;

/** Where a store keeps derived data: a view store per aggregate, snapshots, and document projections' documents. Thread-safe. */
interface StateStores {

    /**
     * The views named {@code name}, stored with {@code codec}; on PostgreSQL a transactional view store whose
     * checkpoints are the bound {@code CheckpointStore}'s.
     */
    <S> ViewStore<S> viewStore(String name, StateCodec<S> codec);

    /**
     * The documents, per-stream states and (with {@code write}) checkpoints of the document projection
     * {@code projection}, its states stored with {@code codec}.
     */
    <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec);

    /** Snapshots stored with {@code codec}, beside the streams. */
    <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec);
}
