package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Checkpoints in a concurrent map. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final ConcurrentMap<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();

    @Override
    public Optional<Checkpoint> load(String projection) {
        return Optional.ofNullable(checkpoints.get(checkName(projection)));
    }

    @Override
    public void save(String projection, Checkpoint checkpoint) {
        checkpoints.put(checkName(projection), requireNonNull(checkpoint, "checkpoint must not be null"));
    }

    @Override
    public void delete(String projection) {
        checkpoints.remove(checkName(projection));
    }

    private static String checkName(String projection) {
        requireNonNull(projection, "projection must not be null");
        if (projection.isEmpty()) {
            throw new IllegalArgumentException("projection must not be empty");
        }
        return projection;
    }
}
