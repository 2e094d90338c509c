package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.domain.StreamId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Snapshots in a concurrent map; a save is an atomic compare on revision. */
public final class InMemorySnapshotStore<S> implements SnapshotStore<S> {

    private final ConcurrentMap<StreamId, Snapshot<S>> snapshots = new ConcurrentHashMap<>();

    @Override
    public Optional<Snapshot<S>> load(StreamId stream) {
        return Optional.ofNullable(snapshots.get(requireNonNull(stream, "stream must not be null")));
    }

    @Override
    public boolean save(Snapshot<S> snapshot) {
        requireNonNull(snapshot, "snapshot must not be null");
        if (snapshot.revision() < 1) {
            throw new IllegalArgumentException("a snapshot needs revision >= 1, was " + snapshot.revision());
        }
        AtomicBoolean stored = new AtomicBoolean();
        snapshots.compute(snapshot.stream(), (stream, old) -> {
            if (old != null && old.revision() >= snapshot.revision()) {
                return old;
            }
            stored.set(true);
            return snapshot;
        });
        return stored.get();
    }
}
