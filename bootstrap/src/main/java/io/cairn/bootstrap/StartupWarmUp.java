package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.google.inject.Stage;
import com.google.inject.multibindings.Multibinder;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.Future;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What the main thread does while it waits for the store to open (an embedded DynamoDB Local takes longer to start
 * than the domains take to load): it builds, and drops, a small Guice injector, a Javalin and a Jetty server that
 * are never started and JVM meters on a registry of their own, so that the classes the real wiring needs afterwards are loaded, linked and initialised by then. Most of start-up
 * is class loading, and this moves some of it off the critical path into time that was spent waiting. Nothing it
 * builds is kept or started: no port, no thread, no binding outlives it. Each step is skipped once the store is
 * open, so it never delays the wiring.
 */
final class StartupWarmUp {

    private StartupWarmUp() {
    }

    /** Warms up until {@code opening} is done or there is nothing left to warm up; never throws. */
    static void whileWaitingFor(Future<?> opening) {
        try {
            if (!opening.isDone()) {
                guice();
            }
            if (!opening.isDone()) {
                javalin();
            }
            if (!opening.isDone()) {
                jetty();
            }
            if (!opening.isDone()) {
                meters();
            }
        } catch (RuntimeException | LinkageError e) {
            // only ever a head start: the real wiring does the same work again and reports what fails
        }
    }

    /** An injector like the real one: production stage, a set binding, constructor injection, eager singletons. */
    private static void guice() {
        Guice.createInjector(Stage.PRODUCTION, new AbstractModule() {
            @Override
            protected void configure() {
                Multibinder.newSetBinder(binder(), Runnable.class).addBinding().toInstance(() -> { });
                bind(Target.class);
            }
        }).getInstance(Target.class);
    }

    /** A Javalin configured as {@code HttpApi}'s is, with a route, not started. */
    private static void javalin() {
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.routes.get("/", ctx -> ctx.result("warm"));
            cfg.routes.before(ctx -> { });
        });
    }

    /** A Jetty server with a connector, as Javalin's, neither started: no port is opened, no thread started. */
    private static void jetty() {
        Server server = new Server();
        server.addConnector(new ServerConnector(server));
    }

    /** The JVM meters {@code MetricsModule} binds, bound to a registry of their own that is dropped. */
    private static void meters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        registry.close();
    }

    /** Injected through its constructor, as Cairn's services are. */
    @Singleton
    static final class Target {
        @Inject
        Target(Set<Runnable> tasks) {
            tasks.size();
        }
    }
}
