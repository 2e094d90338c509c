package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;
import io.cairn.application.Service;
import io.cairn.bootstrap.CairnConfig.InvalidConfigException;
import io.cairn.http.HttpApi;
import io.cairn.http.HttpConfig;
import io.cairn.http.HttpModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Cairn: the injector, created once, and the services it started. {@link #start} returns when the HTTP
 * API accepts requests; {@link #stop} stops the services in reverse order.
 */
public final class Cairn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Cairn.class);

    /** The name of the set of services a store module contributes; they start first and stop last. */
    static final String STORE_SERVICES = "store";

    private final Injector injector;
    private final Lifecycle lifecycle;

    private Cairn(Injector injector, Lifecycle lifecycle) {
        this.injector = injector;
        this.lifecycle = lifecycle;
    }

    /**
     * Wires and starts Cairn.
     *
     * @throws InvalidConfigException when the configuration asks for something this build cannot do
     * @throws Exception              when a service fails to start; everything already started is stopped again
     */
    public static Cairn start(CairnConfig config) throws Exception {
        requireNonNull(config, "config must not be null");
        Injector injector = Guice.createInjector(Stage.PRODUCTION, modules(config));
        // started in this order, stopped in reverse: the store's own services, then what writes to the store in the
        // background, then the projector, and HTTP last, so no request arrives before everything behind it runs
        List<Service> ordered = new ArrayList<>(injector.getInstance(Key.get(new TypeLiteral<Set<Service>>() { },
                Names.named(STORE_SERVICES))));
        ordered.add(injector.getInstance(SnapshotWriterService.class));
        ordered.add(injector.getInstance(ProjectorService.class));
        ordered.add(injector.getInstance(HttpApi.class));
        Lifecycle lifecycle = new Lifecycle(ordered);
        lifecycle.start();
        Cairn cairn = new Cairn(injector, lifecycle);
        LOG.info("Cairn is serving HTTP on {}:{} with the {} store", config.httpHost(), cairn.httpPort(),
                config.store().name().toLowerCase(java.util.Locale.ROOT));
        return cairn;
    }

    /** The port the HTTP API listens on (useful when configured as 0). */
    public int httpPort() {
        return injector.getInstance(HttpApi.class).port();
    }

    /** Stops every service, in reverse order of start. Idempotent. */
    public void stop() {
        lifecycle.stop();
    }

    @Override
    public void close() {
        stop();
    }

    static List<Module> modules(CairnConfig config) {
        List<Module> modules = new ArrayList<>();
        modules.add(storeModule(config));
        modules.add(new AccountsModule(config));
        modules.add(new MetricsModule());
        modules.add(new HttpModule(new HttpConfig(config.httpPort(), config.httpHost(), config.maxRequestBytes(),
                config.idempotencyCacheSize(), config.idempotencyTtl(), config.healthCheckTimeout())));
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                // a store module may add services of its own (an embedded database, a pool) to this set
                Multibinder.newSetBinder(binder(), Service.class, Names.named(STORE_SERVICES));
            }
        });
        return modules;
    }

    private static Module storeModule(CairnConfig config) {
        switch (config.store()) {
            case MEMORY:
                LOG.warn("store: in-memory. Everything is lost when the process stops; the DynamoDB and "
                        + "PostgreSQL adapters are not built yet, so this is the only store of this build.");
                return new MemoryStoreModule();
            case DYNAMODB:
            case POSTGRES:
            default:
                throw new InvalidConfigException("cairn.store (CAIRN_STORE) = " + config.store().name().toLowerCase(
                        java.util.Locale.ROOT) + " is not available in this build: only 'memory' is. The DynamoDB "
                        + "and PostgreSQL adapters are on the roadmap (see README).");
        }
    }
}
