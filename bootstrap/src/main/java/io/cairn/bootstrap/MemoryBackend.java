package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every store port in the heap: nothing survives the process. */
final class MemoryBackend implements StoreBackend {

    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    /** By name, as on the other stores: the same name is the same views or documents (a rebuild's derived ones too). */
    private final Map<String, ViewStore<?>> views = new ConcurrentHashMap<>();
    private final Map<String, DocumentStore<?>> documents = new ConcurrentHashMap<>();

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(InMemoryEventStore.class).in(Singleton.class);
                bind(EventStore.class).to(InMemoryEventStore.class);
                OptionalBinder.newOptionalBinder(binder(), GlobalLog.class).setBinding().to(InMemoryEventStore.class);
                bind(CheckpointStore.class).toInstance(checkpoints);
                Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(InMemoryEventStore.class);
            }

            @Provides
            @Singleton
            DurableChannel durableChannel(InMemoryEventStore store) {
                return new InMemoryDurableChannel(store);
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> ViewStore<S> viewStore(String name, StateCodec<S> codec) {
        return (ViewStore<S>) views.computeIfAbsent(name, any -> new InMemoryViewStore<S>());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec) {
        return (DocumentStore<S>) documents.computeIfAbsent(projection,
                any -> new InMemoryDocumentStore<S>(projection, checkpoints));
    }

    @Override
    public <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec) {
        return new InMemorySnapshotStore<>();
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public String description() {
        return "the in-memory store (everything is lost when the process stops)";
    }

    @Override
    public void close() {
    }
}
