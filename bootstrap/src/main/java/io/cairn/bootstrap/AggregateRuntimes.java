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
import java.util.concurrent.ConcurrentHashMap;
import io.cairn.application.projection.GenerationRecord;
import io.cairn.application.projection.ProjectionCatalog;

/**
 * Every registered aggregate, running: one {@link AggregateRuntime} each, wired the same way whatever the domain.
 * Each aggregate has its own view store (named by its collection), view cache, snapshots, command handler and
 * projector, whose checkpoint is {@code <collection>-view}: a slow or failing aggregate holds up no other.
 */
final class AggregateRuntimes {

    /** The suffix of an aggregate's view projection's name, the key of its checkpoint. */
    static final String VIEW_PROJECTION_SUFFIX = "-view";

    private final Map<String, AggregateRuntime<?, ?, ?>> byCollection;
    private final List<Rebuildable> rebuildables;

    private AggregateRuntimes(Map<String, AggregateRuntime<?, ?, ?>> byCollection, List<Rebuildable> rebuildables) {
        this.byCollection = byCollection;
        this.rebuildables = rebuildables;
    }

    /**
     * What every aggregate's wiring shares.
     *
     * @param durable     the durable channel the live projectors share
     * @param own         the store's durable channel itself: a rebuild's own subscription from the beginning
     * @param generations which generation of each projection is active
     */
    record Shared(CairnConfig config, EventStore store, StateStores states, CheckpointStore checkpoints,
                  Optional<GlobalLog> log, DurableChannel durable, DurableChannel own, FastChannel fast,
                  SnapshotWriterService snapshots, Generations generations) {
    }

    static AggregateRuntimes create(Collection<AggregateType<?, ?, ?>> types, Shared shared) {
        Map<String, AggregateRuntime<?, ?, ?>> byCollection = new LinkedHashMap<>();
        List<Rebuildable> rebuildables = new ArrayList<>();
        for (AggregateType<?, ?, ?> type : types) {
            ViewGenerations<?, ?, ?> generations = viewGenerations(type, shared);
            byCollection.put(type.collection(), generations.runtime);
            rebuildables.add(generations);
        }
        return new AggregateRuntimes(byCollection, List.copyOf(rebuildables));
    }

    /** The name of {@code type}'s view projection: its checkpoint's, and what {@code GET /projections} lists. */
    static String viewProjection(AggregateType<?, ?, ?> type) {
        return type.collection() + VIEW_PROJECTION_SUFFIX;
    }

    private static <C, E, S> ViewGenerations<C, E, S> viewGenerations(AggregateType<C, E, S> type, Shared shared) {
        return new ViewGenerations<>(type, shared);
    }

    /**
     * One aggregate's views, generation by generation: generation g's views are the view store
     * {@code storageName(collection, g)} and its checkpoint {@code storageName(collection + "-view", g)}. The command
     * handler and the queries read the active one through {@link SwitchingViews}.
     */
    private static final class ViewGenerations<C, E, S> implements Rebuildable {
        private final AggregateType<C, E, S> type;
        private final Shared shared;
        private final Map<Integer, CachingViewStore<S>> views = new ConcurrentHashMap<>();
        private final Generation first;
        private final AggregateRuntime<C, E, S> runtime;

        ViewGenerations(AggregateType<C, E, S> type, Shared shared) {
            this.type = type;
            this.shared = shared;
            CairnConfig config = shared.config();
            this.first = wire(shared.generations().active(name()), false);
            SwitchingViews<S> switching = new SwitchingViews<>(views.get(first.number()));
            // one snapshot store for the handler that writes snapshots and the queries that travel in time from them
            SnapshotStore<S> snapshots = shared.states().snapshotStore(type.state());
            CommandHandler<C, E, S> commands = CommandHandler.builder(type.aggregate(), type.events(), shared.store())
                    .views(switching)
                    .snapshots(snapshots, type.state(), shared.snapshots())
                    .fastChannel(shared.fast())
                    .retryPolicy(new RetryPolicy(config.commandMaxAttempts(), config.commandBaseBackoff(),
                            config.commandMaxBackoff()))
                    .build();
            AggregateQueries<E, S> queries = new AggregateQueries<>(type.aggregate(), type.events(), shared.store(),
                    switching, snapshots);
            this.runtime = new AggregateRuntime<>(type, commands, queries, switching, first.projector());
        }

        private Generation wire(int generation, boolean rebuild) {
            CairnConfig config = shared.config();
            CachingViewStore<S> cache = CachingViewStore.over(shared.states().viewStore(
                    GenerationRecord.storageName(type.collection(), generation), type.state()), config.viewCacheSize());
            views.put(generation, cache);
            String checkpoint = GenerationRecord.storageName(name(), generation);
            Projection<E, S> projection = Projection.builder(checkpoint, type.aggregate(), type.events(),
                            shared.store(), cache, shared.checkpoints())
                    .globalLog(shared.log())
                    .gapWait(config.projection().gapWait())
                    .build();
            DisruptorProjector projector = rebuild
                    ? projector(projection, shared.own(), FastChannel.none(), config, config.projection().shards())
                    : projector(projection, shared.durable(), shared.fast(), config);
            return new Generation(generation, projector, () -> {
                cache.deleteAll();
                shared.checkpoints().delete(checkpoint);
            });
        }

        @Override
        public String name() {
            return viewProjection(type);
        }

        @Override
        public ProjectionCatalog.Kind kind() {
            return ProjectionCatalog.Kind.AGGREGATE_VIEW;
        }

        @Override
        public int version() {
            return type.state().schemaVersion();
        }

        @Override
        public Generation first() {
            return first;
        }

        @Override
        public Generation build(int generation) {
            return wire(generation, true);
        }

        @Override
        public void activate(Generation generation) {
            CachingViewStore<S> next = views.get(generation.number());
            if (next == null) {
                throw new IllegalArgumentException("generation " + generation.number() + " of " + name()
                        + " was not built here");
            }
            runtime.switchTo(next, generation.projector());
        }
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
     * A domain's document projection, generation by generation: its documents, states and checkpoint in the
     * store's document store, named {@code storageName(projection, g)}. One shard: the documents a projection writes
     * are shared by its streams, so shards would only contend for them.
     */
    static Rebuildable documents(DocumentProjection<?> registered, Shared shared) {
        return new DocumentGenerations<>(registered, shared);
    }

    private static final class DocumentGenerations<D> implements Rebuildable {
        private final DocumentProjection<D> registered;
        private final Shared shared;
        private final Generation first;

        DocumentGenerations(DocumentProjection<D> registered, Shared shared) {
            this.registered = registered;
            this.shared = shared;
            this.first = wire(shared.generations().active(registered.name()), false);
        }

        private Generation wire(int generation, boolean rebuild) {
            CairnConfig config = shared.config();
            String name = GenerationRecord.storageName(registered.name(), generation);
            DocumentStore<Tagged> documents = shared.states().documentStore(name, DocumentWiring.states(registered));
            Projection<Object, Tagged> projection = Projection.documents(name,
                            DocumentWiring.follows(registered), shared.store(), documents, registered.documents(),
                            config.viewCacheSize())
                    .globalLog(shared.log())
                    .gapWait(config.projection().gapWait())
                    .failurePolicy(config.projection().failureAttempts(), config.projection().failureBackoff())
                    .build();
            DisruptorProjector projector = rebuild
                    ? projector(projection, shared.own(), FastChannel.none(), config, 1)
                    : projector(projection, shared.durable(), shared.fast(), config, 1);
            return new Generation(generation, projector, documents::deleteAll);
        }

        @Override
        public String name() {
            return registered.name();
        }

        @Override
        public ProjectionCatalog.Kind kind() {
            return ProjectionCatalog.Kind.DOCUMENTS;
        }

        @Override
        public int version() {
            return registered.version();
        }

        @Override
        public Generation first() {
            return first;
        }

        @Override
        public Generation build(int generation) {
            return wire(generation, true);
        }

        @Override
        public void activate(Generation generation) {
            // queries find documents through the catalog entry alone
        }
    }

    /** In registration order. */
    List<AggregateRuntime<?, ?, ?>> all() {
        return List.copyOf(byCollection.values());
    }

    /** Every aggregate's views as a projection that can be rebuilt, in registration order. */
    List<Rebuildable> rebuildables() {
        return rebuildables;
    }

    /** The projectors of every aggregate's views at start-up (the active generation's), in registration order. */
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
