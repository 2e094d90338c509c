package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionListener;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.domain.RecordedCommit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One Prometheus registry for the process, served at {@code GET /metrics}: what every aggregate's command handler,
 * view cache and projector count (tagged by aggregate and projection), the fast channel's counters, and the JVM's own meters. The core counts with plain
 * atomics; the meters here read them when scraped, so nothing on the hot path knows about Micrometer.
 */
final class MetricsModule extends AbstractModule {

    private final PrometheusMeterRegistry registry;

    /** @param registry created before wiring, so that the store can publish meters of its own in it */
    MetricsModule(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(MeterRegistry.class).to(PrometheusMeterRegistry.class);
    }

    @Provides
    @Singleton
    PrometheusMeterRegistry registry(AggregateRuntimes runtimes, Projectors projectors,
                                     InProcessFastChannel fastChannel) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        for (AggregateRuntime<?, ?, ?> runtime : runtimes.all()) {
            bindAggregate(runtime);
        }
        for (DisruptorProjector projector : projectors.all()) {
            bindProjector(projector);
        }
        count(registry, "cairn.fast.channel.published", "commits published on the fast channel",
                fastChannel, InProcessFastChannel::published);
        count(registry, "cairn.fast.channel.failed", "fast-channel deliveries whose listener threw",
                fastChannel, InProcessFastChannel::failed);
        return registry;
    }

    /** The command handler's and the view cache's counters, tagged {@code aggregate=<category>}. */
    private void bindAggregate(AggregateRuntime<?, ?, ?> runtime) {
        Tags tags = Tags.of("aggregate", runtime.type().category());
        CommandHandler<?, ?, ?> commands = runtime.commands();
        count(registry, "cairn.commands.conflicts", "appends that lost to another writer or a stale view", tags,
                commands, CommandHandler::conflicts);
        count(registry, "cairn.commands.caught.up.commits", "commits read to catch up after a conflict", tags,
                commands, CommandHandler::commitsCaughtUp);
        count(registry, "cairn.commands.replays", "commands recognised as handled before (same command id)", tags,
                commands, CommandHandler::replays);
        count(registry, "cairn.snapshots.written", "snapshots written by the snapshot policy", tags,
                commands, CommandHandler::snapshotsWritten);
        CachingViewStore<?> views = runtime.views();
        count(registry, "cairn.view.cache.hits", "view reads answered by the in-process cache", tags,
                views, CachingViewStore::hits);
        count(registry, "cairn.view.cache.misses", "view reads that went to the view store", tags,
                views, CachingViewStore::misses);
    }

    /** A projector's counters and lag timers, tagged {@code projection=<name>}. */
    private void bindProjector(DisruptorProjector projector) {
        Projection<?, ?> projection = projector.projection();
        Tags tags = Tags.of("projection", projection.name());
        count(registry, "cairn.projector.applied", "commits applied to views", tags,
                projection, Projection::applied);
        count(registry, "cairn.projector.duplicates",
                "commits the gate dropped because it had released them before (both channels, re-deliveries)",
                tags, projection, Projection::duplicates);
        count(registry, "cairn.projector.gap.waits", "times a fast commit arrived ahead of its turn and waited",
                tags, projection, Projection::gapWaits);
        count(registry, "cairn.projector.gap.commits", "commits read from the store because no channel brought them in time",
                tags, projection, Projection::gapCommitsRead);
        count(registry, "cairn.projector.dropped", "fast-channel commits dropped because the ring was full",
                tags, projection, Projection::dropped);
        count(registry, "cairn.projector.view.conflicts", "view writes that lost to another writer and were redone",
                tags, projection, Projection::viewConflicts);
        count(registry, "cairn.projector.batches", "batches written (views and checkpoint) at the ring's end of batch",
                tags, projection, Projection::batches);
        count(registry, "cairn.projector.store.retries", "store calls retried because the store was unavailable",
                tags, projection, Projection::storeRetries);
        count(registry, "cairn.projector.failures", "commits a projector consumer failed on (logged)",
                tags, projector, DisruptorProjector::consumerFailures);
        Gauge.builder("cairn.projector.stopped", projection, p -> p.failure() == null ? 0 : 1)
                .description("1 when the projection stopped at a commit it could not apply (see GET /projections)")
                .tags(tags).register(registry);
        Gauge.builder("cairn.projector.behind", projection, Projection::commitsBehind)
                .description("commits this process's projector received but has not stored yet")
                .tags(tags).register(registry);
        Gauge.builder("cairn.projector.backlog", projector, DisruptorProjector::backlog)
                .description("commits in the ring not yet processed by every consumer").tags(tags).register(registry);
        Timer visible = Timer.builder("cairn.projector.lag.visible").tags(tags)
                .description("from a commit's store timestamp to its view being visible to queries")
                .publishPercentiles(0.5, 0.99).register(registry);
        Timer stored = Timer.builder("cairn.projector.lag.stored").tags(tags)
                .description("from a commit's store timestamp to its view being stored")
                .publishPercentiles(0.5, 0.99).register(registry);
        // the lag of the commits it keeps views or documents of (every commit for the live feed's): in global order
        // a projector also passes every other commit, and may take those a few milliseconds later
        Set<String> categories = projection.follows();
        projection.addListener(new ProjectionListener() {
            @Override
            public void visible(RecordedCommit commit, long nanoTime) {
                record(visible, commit);
            }

            @Override
            public void stored(List<RecordedCommit> commits, long nanoTime) {
                commits.forEach(commit -> record(stored, commit));
            }

            private void record(Timer timer, RecordedCommit commit) {
                if (!categories.isEmpty() && !categories.contains(commit.stream().category())) {
                    return;
                }
                timer.record(Math.max(0, Duration.between(commit.recordedAt(), Instant.now()).toNanos()),
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    private static <T> void count(MeterRegistry registry, String name, String description, T source,
                                  ToDoubleFunction<T> value) {
        count(registry, name, description, Tags.empty(), source, value);
    }

    private static <T> void count(MeterRegistry registry, String name, String description, Tags tags, T source,
                                  ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).tags(tags).register(registry);
    }
}
