package io.cairn.http;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionControl;
import io.cairn.application.projection.ProjectionRebuilds;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import com.google.inject.TypeLiteral;

/**
 * Binds the {@link HttpApi} (a singleton {@link io.cairn.application.Service}) and its {@link HttpConfig}.
 *
 * <p>The API needs, bound elsewhere: {@code Streams}, and the aggregates it serves, contributed with
 * {@code Multibinder.newSetBinder(binder(), new TypeLiteral<AggregateEndpoint<?, ?, ?>>() { }).addBinding()...}
 * (this module declares the set, so it may be empty). Health
 * checks are contributed with {@code Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding()...}; this
 * module declares the set, so it may be empty. A store with a global order sets
 * {@code OptionalBinder.newOptionalBinder(binder(), GlobalLog.class).setBinding()...}; without one, {@code GET /all}
 * answers 501. The live feed is bound the same way,
 * {@code OptionalBinder.newOptionalBinder(binder(), CommitFeed.class).setBinding()...} (a {@link CommitFeed} over the
 * projection's released commits, the same {@code GlobalLog} and the store's durable channel); without one,
 * {@code GET /feed} answers 501. The projections {@code GET /projections} shows and {@code /views} reads are a
 * {@link ProjectionCatalog}, set with {@code OptionalBinder.newOptionalBinder(binder(),
 * ProjectionCatalog.class).setBinding()...}; by default none. What {@code POST /projections/{name}/retry} and
 * {@code .../skip} do is a {@link ProjectionControl}, set the same way; by default they answer 501. Nothing here does I/O: the server binds its port in {@link HttpApi#start()}.
 */
public final class HttpModule extends AbstractModule {

    private final HttpConfig config;
    private final HttpSecurity security;

    /** The API without authentication, TLS or limits ({@link HttpSecurity#open()}). */
    public HttpModule(HttpConfig config) {
        this(config, HttpSecurity.open());
    }

    /** The API as {@code config} and {@code security} say. */
    public HttpModule(HttpConfig config, HttpSecurity security) {
        this.config = requireNonNull(config, "config must not be null");
        this.security = requireNonNull(security, "security must not be null");
    }

    @Override
    protected void configure() {
        bind(HttpConfig.class).toInstance(config);
        bind(HttpSecurity.class).toInstance(security);
        bind(HttpApi.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class);
        Multibinder.newSetBinder(binder(), new TypeLiteral<AggregateEndpoint<?, ?, ?>>() { });
        OptionalBinder.newOptionalBinder(binder(), GlobalLog.class);
        OptionalBinder.newOptionalBinder(binder(), CommitFeed.class);
        OptionalBinder.newOptionalBinder(binder(), ProjectionCatalog.class).setDefault()
                .toInstance(ProjectionCatalog.empty());
        OptionalBinder.newOptionalBinder(binder(), ProjectionControl.class).setDefault()
                .toInstance(ProjectionControl.unsupported());
        OptionalBinder.newOptionalBinder(binder(), ProjectionRebuilds.class).setDefault()
                .toInstance(ProjectionRebuilds.unsupported());
    }
}
