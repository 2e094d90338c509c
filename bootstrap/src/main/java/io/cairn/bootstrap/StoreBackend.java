package io.cairn.bootstrap;

import com.google.inject.Module;
import io.cairn.application.port.CheckpointStore;
import java.util.OptionalLong;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The store Cairn runs on, opened before the application is wired: opening may start an embedded server, connect,
 * create tables or migrate a schema, so that wiring itself does no I/O. Closed after every service has stopped.
 */
interface StoreBackend extends StateStores, AutoCloseable {

    /**
     * Binds the store ports: {@code EventStore}, {@code CheckpointStore}, {@code DurableChannel}, health checks into
     * the {@code HealthCheck} set, and {@code GlobalLog} where the store has a global order. Views and snapshots,
     * one store per aggregate, come from {@link StateStores}.
     */
    Module module();

    /**
     * The checkpoints, for what is read before wiring: the projections' {@link
     * io.cairn.application.projection.GenerationRecord generation records}. The same store the module binds.
     */
    CheckpointStore checkpoints();

    /**
     * About how many commits the store holds, for a rebuild's progress where the store has no global log to say
     * exactly; empty when it cannot tell.
     */
    default OptionalLong approximateCommitCount() {
        return OptionalLong.empty();
    }

    /** What the start-up log says about the store. */
    String description();

    @Override
    void close();

    /**
     * Opens the store {@code config} names.
     *
     * @param registry where the store publishes meters of its own (DynamoDB's capacity units)
     */
    static StoreBackend open(CairnConfig config, MeterRegistry registry) {
        return switch (config.store()) {
            case MEMORY -> new MemoryBackend();
            case DYNAMODB -> DynamoDbBackend.open(config, registry);
            case POSTGRES -> PostgresBackend.open(config);
        };
    }
}
