package io.cairn.bootstrap;

import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.projection.Tagged;
import io.cairn.application.CachingViewStore;
import io.cairn.application.AggregateQueries;
import io.cairn.application.CommandHandler;
import io.cairn.application.RetryPolicy;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.projection.Projection;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.domain.EventCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every registered aggregate, running: one {@link AggregateRuntime} each, wired the same way whatever the domain.
 * Each aggregate has its own view store (named by its collection), view cache, snapshots, command handler and
 * projector, whose checkpoint is {@code <collection>-view}: a slow or failing aggregate holds up no other.
 */
final class AggregateRuntimes {

    /** The suffix of an aggregate's view projection's name, the key of its checkpoint. */
    static final String VIEW_PROJECTION_SUFFIX = "-view";

    private final Map<String, AggregateRuntime<?, ?, ?>> byCollection;

    private AggregateRuntimes(Map<String, AggregateRuntime<?, ?, ?>> byCollection) {
        this.byCollection = byCollection;
    }

    /** What every aggregate's wiring shares. */
    record Shared(CairnConfig config, EventStore store, StateStores states, CheckpointStore checkpoints,
                  Optional<GlobalLog> log, DurableChannel durable, FastChannel fast, SnapshotWriterService snapshots) {
    }

    static AggregateRuntimes create(Collection<AggregateType<?, ?, ?>> types, Shared shared) {
        Map<String, AggregateRuntime<?, ?, ?>> byCollection = new LinkedHashMap<>();
        for (AggregateType<?, ?, ?> type : types) {
            byCollection.put(type.collection(), runtime(type, shared));
        }
        return new AggregateRuntimes(byCollection);
    }

    private static <C, E, S> AggregateRuntime<C, E, S> runtime(AggregateType<C, E, S> type, Shared shared) {
        CairnConfig config = shared.config();
        CachingViewStore<S> views = CachingViewStore.over(
                shared.states().viewStore(type.collection(), type.state()), config.viewCacheSize());
        // one snapshot store for the handler that writes snapshots and the queries that travel in time from them
        SnapshotStore<S> snapshots = shared.states().snapshotStore(type.state());
        CommandHandler<C, E, S> commands = CommandHandler.builder(type.aggregate(), type.events(), shared.store())
                .views(views)
                .snapshots(snapshots, type.state(), shared.snapshots())
                .fastChannel(shared.fast())
                .retryPolicy(new RetryPolicy(config.commandMaxAttempts(), config.commandBaseBackoff(),
                        config.commandMaxBackoff()))
                .build();
        AggregateQueries<E, S> queries = new AggregateQueries<>(type.aggregate(), type.events(), shared.store(), views,
                snapshots);
        Projection<E, S> projection = Projection.builder(type.collection() + VIEW_PROJECTION_SUFFIX,
                        type.aggregate(), type.events(), shared.store(), views, shared.checkpoints())
                .globalLog(shared.log())
                .gapWait(config.projection().gapWait())
                .build();
        return new AggregateRuntime<>(type, commands, queries, views,
                projector(projection, shared.durable(), shared.fast(), config));
    }

    /** A projector of {@code projection} with the configured ring, shards and stop timeout: every projector's. */
    static DisruptorProjector projector(Projection<?, ?> projection, DurableChannel durable, FastChannel fast,
                                        CairnConfig config) {
        return projector(projection, durable, fast, config, config.projection().shards());
    }

    private static DisruptorProjector projector(Projection<?, ?> projection, DurableChannel durable,
                                                FastChannel fast, CairnConfig config, int shards) {
        FastChannel listened = config.projection().fastChannel() ? fast : FastChannel.none();
        return DisruptorProjector.builder(projection, durable, listened)
                .ringSize(config.projection().ringSize())
                .shards(shards)
                .stopTimeout(config.shutdownTimeout())
                .build();
    }

    /**
     * The projector of a domain's document projection: its documents, states and checkpoint in the store's
     * document store, named by the projection. One shard: the documents a projection writes are shared by its
     * streams, so shards would only contend for them.
     */
    static <D> DisruptorProjector documents(DocumentProjection<D> registered, Shared shared) {
        CairnConfig config = shared.config();
        DocumentStore<Tagged> documents = shared.states().documentStore(registered.name(),
                DocumentWiring.states(registered));
        Projection<Object, Tagged> projection = Projection.documents(registered.name(),
                        DocumentWiring.follows(registered), shared.store(), documents, registered.documents(),
                        config.viewCacheSize())
                .globalLog(shared.log())
                .gapWait(config.projection().gapWait())
                .failurePolicy(config.projection().failureAttempts(), config.projection().failureBackoff())
                .build();
        return projector(projection, shared.durable(), shared.fast(), config, 1);
    }

    /** In registration order. */
    List<AggregateRuntime<?, ?, ?>> all() {
        return List.copyOf(byCollection.values());
    }

    /** The projectors of every aggregate's views, in registration order. */
    List<DisruptorProjector> projectors() {
        List<DisruptorProjector> projectors = new ArrayList<>();
        for (AggregateRuntime<?, ?, ?> runtime : byCollection.values()) {
            projectors.add(runtime.projector());
        }
        return projectors;
    }

    /**
     * The runtime of {@code type}.
     *
     * @throws IllegalArgumentException when {@code type} is not registered (another instance with the same
     *                                  collection is not enough: the registration itself)
     */
    @SuppressWarnings("unchecked")
    <C, E, S> AggregateRuntime<C, E, S> get(AggregateType<C, E, S> type) {
        AggregateRuntime<?, ?, ?> runtime = byCollection.get(type.collection());
        if (runtime == null || runtime.type() != type) {
            throw new IllegalArgumentException(type + " is not registered with this Cairn; registered: "
                    + byCollection.keySet());
        }
        return (AggregateRuntime<C, E, S>) runtime;
    }

    /** The event codecs of the registered aggregates, upcasting included, by category. */
    Map<String, EventCodec<?>> codecs() {
        Map<String, EventCodec<?>> codecs = new LinkedHashMap<>();
        for (AggregateRuntime<?, ?, ?> runtime : byCollection.values()) {
            codecs.put(runtime.type().category(), runtime.type().events());
        }
        return codecs;
    }

    /** The categories the registered aggregates own: raw appends to their streams are refused. */
    Set<String> categories() {
        Set<String> categories = new LinkedHashSet<>();
        for (AggregateRuntime<?, ?, ?> runtime : byCollection.values()) {
            categories.add(runtime.type().category());
        }
        return categories;
    }
}
