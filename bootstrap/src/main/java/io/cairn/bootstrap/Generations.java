package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.projection.GenerationRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link GenerationRecord} of every projection that can be rebuilt, read from the store before the engine is
 * wired (so that each projection is wired on its active generation), and kept current by {@link Rebuilds}.
 *
 * <p>A projection without a record: an aggregate's views are taken as built at its current state schema version
 * (views of another version already read as absent, so nothing is misread); a document projection at version 1 when
 * it has a checkpoint (it ran before versions existed), at its registered version otherwise (a new one). A registered
 * version below the active generation's is refused: the documents or views were built by newer code, and serving
 * them with older handlers would mix the two. Thread-safe.
 */
final class Generations {

    private final Map<String, GenerationRecord> records;

    private Generations(Map<String, GenerationRecord> records) {
        this.records = new ConcurrentHashMap<>(records);
    }

    /**
     * Reads (and, for a projection that has none, saves) the records of every aggregate's views and document
     * projection of {@code domains}.
     *
     * @throws IllegalStateException when a projection is registered at a version below its active generation's
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached
     */
    static Generations load(CheckpointStore store, List<LoadedDomain> domains) {
        requireNonNull(store, "store must not be null");
        Map<String, GenerationRecord> records = new LinkedHashMap<>();
        for (LoadedDomain domain : domains) {
            for (AggregateType<?, ?, ?> type : domain.aggregates()) {
                String name = AggregateRuntimes.viewProjection(type);
                records.put(name, load(store, name, type.state().schemaVersion(), true));
            }
            for (DocumentProjection<?> projection : domain.projections()) {
                records.put(projection.name(), load(store, projection.name(), projection.version(), false));
            }
        }
        return new Generations(records);
    }

    private static GenerationRecord load(CheckpointStore store, String name, int version, boolean aggregateView) {
        GenerationRecord record = GenerationRecord.load(store, name).orElseGet(() -> {
            boolean ranBefore = store.load(name).isPresent();
            GenerationRecord first = GenerationRecord.first(aggregateView || !ranBefore ? version : 1);
            first.save(store, name);
            return first;
        });
        if (version < record.activeVersion()) {
            throw new IllegalStateException("projection " + name + " is registered at version " + version
                    + ", below version " + record.activeVersion() + " that its active generation "
                    + record.active() + " was built with: run code at version " + record.activeVersion()
                    + " or above (a rebuild at a higher version replaces the generation)");
        }
        return record;
    }

    /** The record of {@code projection}. @throws IllegalArgumentException for a projection without one */
    GenerationRecord get(String projection) {
        GenerationRecord record = records.get(projection);
        if (record == null) {
            throw new IllegalArgumentException("projection " + projection + " has no generation record");
        }
        return record;
    }

    /** The generation queries read. */
    int active(String projection) {
        return get(projection).active();
    }

    /** Replaces the record held (saved by the caller). */
    void put(String projection, GenerationRecord record) {
        records.put(requireNonNull(projection, "projection must not be null"),
                requireNonNull(record, "record must not be null"));
    }
}
