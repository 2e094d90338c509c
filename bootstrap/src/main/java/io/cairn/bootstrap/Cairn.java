package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.cairn.api.AggregateType;
import io.cairn.api.Domain;
import io.cairn.application.Service;
import io.cairn.application.Streams;
import io.cairn.http.HttpApi;
import io.cairn.http.HttpConfig;
import io.cairn.http.HttpModule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn: the injector, created once, and the services it started. {@link #start} returns when the HTTP
 * API accepts requests; {@link #stop} stops the services in reverse order.
 *
 * <p>Two ways in. The runnable jar calls {@link #start(CairnConfig)}: the domains on the class path and in the
 * plugin directory, HTTP on. Code that embeds Cairn uses {@link #builder()}: the domains it hands over, HTTP on or
 * off, and sends commands and runs queries in process through {@link #aggregate(AggregateType)}:
 * <pre>{@code
 * try (Cairn cairn = Cairn.builder()
 *         .config(CairnConfig.of(Map.of("cairn.store", "memory")))
 *         .domain(new InventoryDomain())
 *         .withoutHttp()
 *         .start()) {
 *     AggregateRuntime<ProductCommand, ProductEvent, ProductState> products = cairn.aggregate(InventoryDomain.PRODUCTS);
 *     products.handle("lamp-1", new ProductCommand.Register("Lamp", "north"));
 *     products.find("lamp-1", Consistency.STRONG);
 * }
 * }</pre>
 * Thread-safe.
 */
public final class Cairn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cairn.class);

    private final Injector injector;
    private final Lifecycle lifecycle;
    private final StoreBackend backend;
    private final boolean http;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Cairn(Injector injector, Lifecycle lifecycle, StoreBackend backend, boolean http) {
        this.injector = injector;
        this.lifecycle = lifecycle;
        this.backend = backend;
        this.http = http;
    }

    /**
     * Wires and starts Cairn as the runnable jar does: every domain on the class path and in
     * {@code config.domains().plugins()}, as {@code config.domains().only()} selects them, served over HTTP.
     *
     * @throws DomainLoadingException when a plugin or domain cannot be loaded or registered; nothing stays started
     *                                (the store, which opens while the domains load, is closed again first)
     * @throws Exception              when the store cannot be opened, or a service fails to start; everything
     *                                already started is stopped again and the store closed
     */
    public static Cairn start(CairnConfig config) throws Exception {
        requireNonNull(config, "config must not be null");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the store opens (an embedded server starts, SDK clients are built, tables are checked) on a thread of its
        // own while this one loads the domains: the two need nothing of each other, and both are mostly class
        // loading, which two cores do side by side
        CompletableFuture<StoreBackend> opening = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                opening.complete(StoreBackend.open(config, registry));
            } catch (RuntimeException | Error e) {
                opening.completeExceptionally(e);
            }
        }, "cairn-store-open");
        opener.setDaemon(true);
        opener.start();
        List<LoadedDomain> domains;
        try {
            domains = DomainLoader.load(config.domains());
        } catch (RuntimeException | Error e) {
            // nothing may stay started: the store is closed as soon as it is open (or has failed)
            try {
                awaitOpened(opening).close();
            } catch (RuntimeException | Error failure) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        StartupWarmUp.whileWaitingFor(opening);
        return start(config, domains, registry, awaitOpened(opening), true);
    }

    /** The store {@code opening} opened, or its failure as it was thrown. */
    private static StoreBackend awaitOpened(CompletableFuture<StoreBackend> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Starts Cairn inside another service: see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    private static Cairn start(CairnConfig config, List<LoadedDomain> domains, boolean http) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the store first: it may start an embedded server, connect, create tables or migrate, before any wiring
        return start(config, domains, registry, StoreBackend.open(config, registry), http);
    }

    private static Cairn start(CairnConfig config, List<LoadedDomain> domains, PrometheusMeterRegistry registry,
                               StoreBackend backend, boolean http) throws Exception {
        try {
            for (LoadedDomain domain : domains) {
                LOG.info("{}", domain.describe());
            }
            // which generation of each projection is active decides how it is wired: read before wiring
            Generations generations = Generations.load(backend.checkpoints(), domains);
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    modules(config, domains, backend, registry, generations));
            // started in this order, stopped in reverse: what writes to the store in the background, then the
            // projectors and the rebuilds beside them, and HTTP last, so no request arrives before everything
            // behind it runs
            List<Service> services = new ArrayList<>(List.of(injector.getInstance(SnapshotWriterService.class),
                    injector.getInstance(Projectors.class), injector.getInstance(Rebuilds.class)));
            if (http) {
                services.add(injector.getInstance(HttpApi.class));
                if (!config.httpSecurity().authentication().identifiesCallers() && !config.httpHostIsLoopback()) {
                    LOG.warn("cairn.auth.mode is none and HTTP binds {}, not loopback: anyone who reaches it may "
                            + "send any command; set cairn.auth.mode to api-keys or jwt", config.httpHost());
                }
            }
            Lifecycle lifecycle = new Lifecycle(services);
            lifecycle.start();
            Cairn cairn = new Cairn(injector, lifecycle, backend, http);
            if (http) {
                LOG.info("Cairn is serving HTTP on {}:{} with {}", config.httpHost(), cairn.httpPort(),
                        backend.description());
            } else {
                LOG.info("Cairn is running in process (no HTTP) with {}", backend.description());
            }
            return cairn;
        } catch (Exception | Error e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The running aggregate {@code type}: send it commands and query it, in process.
     *
     * @param type a registration one of the started domains registered (the same instance)
     * @throws IllegalArgumentException when no started domain registered {@code type}
     */
    public <C, E, S> AggregateRuntime<C, E, S> aggregate(AggregateType<C, E, S> type) {
        requireNonNull(type, "type must not be null");
        return injector.getInstance(AggregateRuntimes.class).get(type);
    }

    /** The domains this Cairn runs, with their aggregates and where each came from. */
    public List<LoadedDomain> domains() {
        return injector.getInstance(EngineModule.DOMAINS);
    }

    /** The store this Cairn runs on, for tests that look at what is stored. */
    StoreBackend backend() {
        return backend;
    }

    /** The raw stream API: append to and read any stream outside the registered aggregates' categories. */
    public Streams streams() {
        return injector.getInstance(Streams.class);
    }

    /** The event store itself, below every rule: for tests that write as an older release would have. */
    io.cairn.application.port.EventStore eventStore() {
        return injector.getInstance(io.cairn.application.port.EventStore.class);
    }

    /**
     * The port the HTTP API listens on (useful when configured as 0).
     *
     * @throws IllegalStateException when started without HTTP
     */
    public int httpPort() {
        if (!http) {
            throw new IllegalStateException("this Cairn was started without HTTP");
        }
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

    static List<Module> modules(CairnConfig config, List<LoadedDomain> domains, StoreBackend backend,
                                PrometheusMeterRegistry registry, Generations generations) {
        List<Module> modules = new ArrayList<>();
        modules.add(backend.module());
        modules.add(binder -> binder.bind(StateStores.class).toInstance(backend));
        modules.add(new EngineModule(config, domains, generations, backend::approximateCommitCount));
        modules.add(new MetricsModule(registry));
        modules.add(new HttpModule(new HttpConfig(config.httpPort(), config.httpHost(), config.maxRequestBytes(),
                config.idempotencyCacheSize(), config.idempotencyTtl(), config.healthCheckTimeout()),
                config.httpSecurity()));
        return modules;
    }

    /**
     * How code that embeds Cairn starts it. Not thread-safe; {@link #start()} once.
     */
    public static final class Builder {
        private CairnConfig config;
        private final List<Domain> domains = new ArrayList<>();
        private boolean classPath;
        private boolean http = true;

        private Builder() {
        }

        /** The configuration; {@code CairnConfig.of(Map.of())} (the defaults) unless set. */
        public Builder config(CairnConfig config) {
            this.config = requireNonNull(config, "config must not be null");
            return this;
        }

        /** A domain to run; registered in the order given. */
        public Builder domain(Domain domain) {
            domains.add(requireNonNull(domain, "domain must not be null"));
            return this;
        }

        /** Also run the domains found on the class path and in the configured plugin directory, before the given ones. */
        public Builder domainsFromClassPath() {
            this.classPath = true;
            return this;
        }

        /** Runs no HTTP server: commands and queries only through {@link Cairn#aggregate}. */
        public Builder withoutHttp() {
            this.http = false;
            return this;
        }

        /**
         * Wires and starts Cairn.
         *
         * @throws DomainLoadingException when a domain cannot be registered, or two claim one name
         * @throws IllegalStateException  without any domain
         * @throws Exception              when the store cannot be opened or a service fails to start
         */
        public Cairn start() throws Exception {
            CairnConfig chosen = config != null ? config : CairnConfig.of(Map.of());
            List<DomainLoader.Found> found = new ArrayList<>();
            if (classPath) {
                found.addAll(DomainLoader.found(chosen.domains()));
            }
            for (Domain domain : domains) {
                found.add(new DomainLoader.Found(domain, "embedded (" + domain.getClass().getName() + ")"));
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("no domain to run: add one with domain(...) or domainsFromClassPath()");
            }
            return Cairn.start(chosen, DomainLoader.register(found, classPath ? chosen.domains().only()
                    : Set.of()), http);
        }
    }
}
