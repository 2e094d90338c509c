package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.cairn.disruptor.DisruptorProjector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.cairn.http.HttpApi;
import io.cairn.http.HttpConfig;
import io.cairn.http.HttpModule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn: the injector, created once, and the services it started. {@link #start} returns when the HTTP
 * API accepts requests; {@link #stop} stops the services in reverse order.
 */
public final class Cairn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cairn.class);

    private final Injector injector;
    private final Lifecycle lifecycle;
    private final StoreBackend backend;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Cairn(Injector injector, Lifecycle lifecycle, StoreBackend backend) {
        this.injector = injector;
        this.lifecycle = lifecycle;
        this.backend = backend;
    }

    /**
     * Wires and starts Cairn.
     *
     * @throws Exception when the store cannot be opened, or a service fails to start; everything already started
     *                   is stopped again and the store closed
     */
    public static Cairn start(CairnConfig config) throws Exception {
        requireNonNull(config, "config must not be null");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the store first: it may start an embedded server, connect, create tables or migrate, before any wiring
        StoreBackend backend = StoreBackend.open(config, registry);
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION, modules(config, backend, registry));
            // started in this order, stopped in reverse: what writes to the store in the background, then the
            // projector, and HTTP last, so no request arrives before everything behind it runs
            Lifecycle lifecycle = new Lifecycle(List.of(injector.getInstance(SnapshotWriterService.class),
                    injector.getInstance(DisruptorProjector.class), injector.getInstance(HttpApi.class)));
            lifecycle.start();
            Cairn cairn = new Cairn(injector, lifecycle, backend);
            LOG.info("Cairn is serving HTTP on {}:{} with {}", config.httpHost(), cairn.httpPort(),
                    backend.description());
            return cairn;
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
    }

    /** The port the HTTP API listens on (useful when configured as 0). */
    public int httpPort() {
        return injector.getInstance(HttpApi.class).port();
    }

    /** Stops every service, in reverse order of start, then closes the store. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            lifecycle.stop();
        } finally {
            backend.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    static List<Module> modules(CairnConfig config, StoreBackend backend, PrometheusMeterRegistry registry) {
        List<Module> modules = new ArrayList<>();
        modules.add(backend.module());
        modules.add(new AccountsModule(config));
        modules.add(new MetricsModule(registry));
        modules.add(new HttpModule(new HttpConfig(config.httpPort(), config.httpHost(), config.maxRequestBytes(),
                config.idempotencyCacheSize(), config.idempotencyTtl(), config.healthCheckTimeout())));
        return modules;
    }
}
