package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;
import io.cairn.postgres.PostgresStores;

/**
 * PostgreSQL at {@code cairn.postgres.url}: the schema migrated (or checked) and the pool opened before wiring.
 * Views and the projector's checkpoint are written in one transaction; {@code GET /all} reads the global order.
 */
final class PostgresBackend implements StoreBackend {

    private final PostgresStores stores;

    private PostgresBackend(PostgresStores stores) {
        this.stores = stores;
    }

    static PostgresBackend open(CairnConfig config) {
        return new PostgresBackend(PostgresStores.open(config.postgres().settings()));
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(EventStore.class).toInstance(stores.eventStore());
                OptionalBinder.newOptionalBinder(binder(), GlobalLog.class).setBinding().toInstance(stores.globalLog());
                // projectors save their checkpoints with their view writes, in one transaction: the same table
                bind(CheckpointStore.class).toInstance(stores.checkpointStore());
                bind(DurableChannel.class).toInstance(stores.durableChannel());
                Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toInstance(stores.healthCheck());
            }
        };
    }

    @Override
    public <S> ViewStore<S> viewStore(String name, StateCodec<S> codec) {
        return stores.viewStore(name, codec);
    }

    @Override
    public <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec) {
        return stores.documentStore(projection, codec);
    }

    @Override
    public <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec) {
        return stores.snapshotStore(codec);
    }

    @Override
    public CheckpointStore checkpoints() {
        return stores.checkpointStore();
    }

    @Override
    public String description() {
        return "PostgreSQL at " + stores.settings().jdbcUrl();
    }

    @Override
    public void close() {
        stores.close();
    }
}
