package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.Projector;
import io.cairn.domain.account.AccountCommand;
import io.cairn.domain.account.AccountEvent;
import io.cairn.domain.account.AccountState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Named;
import java.util.function.ToDoubleFunction;

/**
 * One Prometheus registry for the process, served at {@code GET /metrics}: what the command handler, the
 * projector, the fast channel and the view cache count, and the JVM's own meters. The core counts with plain
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
    PrometheusMeterRegistry registry(CommandHandler<AccountCommand, AccountEvent, AccountState> commands,
                                     Projector<AccountEvent, AccountState> projector,
                                     InProcessFastChannel fastChannel,
                                     @Named("cached") CachingViewStore<AccountState> views) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        count(registry, "cairn.commands.conflicts", "appends that lost to another writer or a stale view",
                commands, CommandHandler::conflicts);
        count(registry, "cairn.commands.caught.up.commits", "commits read to catch up after a conflict",
                commands, CommandHandler::commitsCaughtUp);
        count(registry, "cairn.commands.replays", "commands recognised as handled before (same command id)",
                commands, CommandHandler::replays);
        count(registry, "cairn.snapshots.written", "snapshots written by the snapshot policy",
                commands, CommandHandler::snapshotsWritten);

        Tags projection = Tags.of("projection", projector.name());
        count(registry, "cairn.projector.applied", "commits applied to views", projection,
                projector, Projector::applied);
        count(registry, "cairn.projector.duplicates", "commits dropped because their view already covered them",
                projection, projector, Projector::duplicates);
        count(registry, "cairn.projector.gap.commits", "commits read from the store to fill gaps", projection,
                projector, Projector::gapCommitsRead);
        count(registry, "cairn.projector.view.conflicts", "view writes that lost to another writer and were redone",
                projection, projector, Projector::viewConflicts);

        count(registry, "cairn.fast.channel.published", "commits published on the fast channel",
                fastChannel, InProcessFastChannel::published);
        count(registry, "cairn.fast.channel.dropped", "fast-channel deliveries dropped on a full buffer",
                fastChannel, InProcessFastChannel::dropped);
        count(registry, "cairn.view.cache.hits", "view reads answered by the in-process cache",
                views, CachingViewStore::hits);
        count(registry, "cairn.view.cache.misses", "view reads that went to the view store",
                views, CachingViewStore::misses);
        return registry;
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
