package io.cairn.bootstrap;

import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;

/** Where a store keeps aggregates' states: a view store per aggregate, and snapshots. Thread-safe. */
interface StateStores {

    /**
     * The views named {@code name}, stored with {@code codec}; on PostgreSQL a transactional view store whose
     * checkpoints are the bound {@code CheckpointStore}'s.
     */
    <S> ViewStore<S> viewStore(String name, StateCodec<S> codec);

    /** Snapshots stored with {@code codec}, beside the streams. */
    <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec);
}
