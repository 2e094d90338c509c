package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.CachingViewStore;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.SharedDurableChannel;
import io.cairn.application.Streams;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.ReleasedCommits;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionControl;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.http.AggregateEndpoint;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import io.cairn.application.projection.ProjectionRebuilds;

/**
 * The engine on whatever store is bound, for every registered aggregate: the fast channel, the snapshot writer,
 * one {@link AggregateRuntime} per aggregate (view cache, command handler, queries, projector), the raw stream API
 * (which refuses every registered category) and the live feed. Knows no domain: the aggregates come in as
 * registrations, collected by a Multibinder. Needs the store ports bound by a store module.
 */
final class EngineModule extends AbstractModule {

    /** The name of the projection the live feed follows: its checkpoint and, on DynamoDB, its view rows. */
    static final String FEED_PROJECTION = "live-feed";

    /** The domains this Cairn runs. */
    static final Key<List<LoadedDomain>> DOMAINS = Key.get(new TypeLiteral<List<LoadedDomain>>() { });

    private final CairnConfig config;
    private final List<LoadedDomain> domains;
    private final Generations generations;
    private final Supplier<OptionalLong> commitCount;

    /**
     * @param generations which generation of each projection is active, read from the store before wiring
     * @param commitCount about how many commits the store holds, for rebuilds' progress in stream order
     */
    EngineModule(CairnConfig config, List<LoadedDomain> domains, Generations generations,
                 Supplier<OptionalLong> commitCount) {
        this.config = config;
        this.domains = List.copyOf(domains);
        this.generations = generations;
        this.commitCount = commitCount;
    }

    @Override
    protected void configure() {
        bind(InProcessFastChannel.class).in(Singleton.class);
        bind(FastChannel.class).to(InProcessFastChannel.class);
        bind(SnapshotWriterService.class).in(Singleton.class);
        bind(DOMAINS).toInstance(domains);
        Multibinder<AggregateType<?, ?, ?>> types =
                Multibinder.newSetBinder(binder(), new TypeLiteral<AggregateType<?, ?, ?>>() { });
        Multibinder<AggregateEndpoint<?, ?, ?>> endpoints =
                Multibinder.newSetBinder(binder(), new TypeLiteral<AggregateEndpoint<?, ?, ?>>() { });
        Provider<AggregateRuntimes> runtimes = getProvider(AggregateRuntimes.class);
        for (LoadedDomain domain : domains) {
            for (AggregateType<?, ?, ?> type : domain.aggregates()) {
                types.addBinding().toInstance(type);
                endpoints.addBinding().toProvider(() -> runtimes.get().get(type).endpoint());
            }
        }
        // GET /feed follows what the projection's gate releases
        OptionalBinder.newOptionalBinder(binder(), CommitFeed.class).setBinding()
                .to(Key.get(CommitFeed.class, Names.named("live")));
        OptionalBinder.newOptionalBinder(binder(), ProjectionCatalog.class).setBinding()
                .to(Key.get(ProjectionCatalog.class, Names.named("engine")));
        OptionalBinder.newOptionalBinder(binder(), ProjectionControl.class).setBinding()
                .to(ProjectionOperations.class);
        OptionalBinder.newOptionalBinder(binder(), ProjectionRebuilds.class).setBinding().to(Rebuilds.class);
    }

    /** Retry and skip on this process's projectors, the first generations' and those switched to since start. */
    @Provides
    @Singleton
    ProjectionOperations projectionOperations(@Named("engine") ProjectionCatalog catalog, Projectors projectors,
                                              Rebuilds rebuilds) {
        return new ProjectionOperations(catalog, projectors, rebuilds, java.time.Clock.systemUTC());
    }


    /** The store's durable channel read once for every projector of this process. */
    @Provides
    @Singleton
    SharedDurableChannel sharedDurableChannel(DurableChannel durable) {
        return new SharedDurableChannel(durable, config.projection().ringSize());
    }

    @Provides
    @Singleton
    AggregateRuntimes runtimes(AggregateRuntimes.Shared shared) {
        List<AggregateType<?, ?, ?>> types = new ArrayList<>();
        domains.forEach(domain -> types.addAll(domain.aggregates()));
        return AggregateRuntimes.create(types, shared);
    }

    /** What every projection's wiring shares. */
    @Provides
    @Singleton
    AggregateRuntimes.Shared shared(EventStore store, StateStores states, CheckpointStore checkpoints,
                                    Optional<GlobalLog> log, SharedDurableChannel durable, DurableChannel own,
                                    FastChannel fast, SnapshotWriterService snapshots) {
        return new AggregateRuntimes.Shared(config, store, states, checkpoints, log, durable, own, fast, snapshots,
                generations);
    }

    @Provides
    @Singleton
    Streams streams(EventStore store, FastChannel fastChannel, AggregateRuntimes runtimes) {
        return new Streams(store, fastChannel, runtimes.categories(), runtimes.codecs());
    }

    /**
     * The projection of every commit, whatever its category, that the live feed follows: its own gate and
     * checkpoint, no aggregate state, no store writes but its checkpoint (on DynamoDB its per-stream order is kept
     * in process memory).
     */
    @Provides
    @Singleton
    @Named("feed")
    DisruptorProjector feedProjector(EventStore store, CheckpointStore checkpoints,
                                     Optional<GlobalLog> log, SharedDurableChannel durable, FastChannel fast) {
        // per process: what this process's feed has shown is nobody else's business, and costs no store write
        CachingViewStore<RevisionOnly> revisions = RevisionOnly.inProcess(config.viewCacheSize());
        Projection<Void, RevisionOnly> projection = Projection.allCommits(FEED_PROJECTION, store, revisions,
                        checkpoints)
                .globalLog(log)
                .gapWait(config.projection().gapWait())
                .build();
        return AggregateRuntimes.projector(projection, durable, fast, config);
    }

    @Provides
    @Singleton
    ReleasedCommits releasedCommits(@Named("feed") DisruptorProjector feed) {
        return feed.projection();
    }

    @Provides
    @Singleton
    @Named("live")
    CommitFeed liveFeed(ReleasedCommits released, Optional<GlobalLog> log, DurableChannel durable) {
        return new CommitFeed(released, log, durable);
    }

    /** The domains' document projections, each on its active generation, in registration order. */
    @Provides
    @Singleton
    @Named("documents")
    List<Rebuildable> documentProjections(AggregateRuntimes.Shared shared) {
        List<Rebuildable> projections = new ArrayList<>();
        for (LoadedDomain domain : domains) {
            for (DocumentProjection<?> projection : domain.projections()) {
                projections.add(AggregateRuntimes.documents(projection, shared));
            }
        }
        return List.copyOf(projections);
    }

    /** The projectors of the domains' document projections at start-up, in registration order. */
    @Provides
    @Singleton
    @Named("documents")
    List<DisruptorProjector> documentProjectors(@Named("documents") List<Rebuildable> projections) {
        List<DisruptorProjector> projectors = new ArrayList<>();
        projections.forEach(projection -> projectors.add(projection.first().projector()));
        return List.copyOf(projectors);
    }

    /** The rebuilds of every aggregate's views and document projection. */
    @Provides
    @Singleton
    Rebuilds rebuilds(AggregateRuntimes runtimes, @Named("documents") List<Rebuildable> documents,
                      @Named("engine") ProjectionCatalog catalog, CheckpointStore checkpoints,
                      Optional<GlobalLog> log, FastChannel fast) {
        List<Rebuildable> all = new ArrayList<>(runtimes.rebuildables());
        all.addAll(documents);
        return new Rebuilds(all, catalog, checkpoints, generations, log,
                config.projection().fastChannel() ? fast : FastChannel.none(), commitCount);
    }

    @Provides
    @Singleton
    Projectors projectors(AggregateRuntimes runtimes, @Named("documents") List<DisruptorProjector> documents,
                          @Named("feed") DisruptorProjector feed, SharedDurableChannel durable) {
        List<DisruptorProjector> all = new ArrayList<>(runtimes.projectors());
        all.addAll(documents);
        all.add(feed);
        return new Projectors(all, durable);
    }

    /** Every projection, for {@code GET /projections} and {@code /views}. */
    @Provides
    @Singleton
    @Named("engine")
    ProjectionCatalog projectionCatalog(AggregateRuntimes runtimes,
                                        @Named("documents") List<Rebuildable> documents,
                                        @Named("feed") DisruptorProjector feed) {
        List<ProjectionCatalog.Entry> entries = new ArrayList<>();
        for (Rebuildable views : runtimes.rebuildables()) {
            entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.AGGREGATE_VIEW,
                    views.first().projector().projection(), views.name()));
        }
        for (Rebuildable projection : documents) {
            entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.DOCUMENTS,
                    projection.first().projector().projection(), projection.name()));
        }
        entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.LIVE_FEED, feed.projection()));
        return new ProjectionCatalog(entries);
    }
}
