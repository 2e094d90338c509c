package io.cairn.postgres.testing;

import io.cairn.postgres.PostgresSettings;
import io.cairn.postgres.PostgresStores;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands tests started {@link PostgresStores}, each on a fresh schema of the {@link TestPostgres} server, and stops
 * them afterwards: stores made during a test (or its {@code @BeforeEach}) after that test, stores made in
 * {@code @BeforeAll} and the {@link #classStores()} after the class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresStoresExtension postgres = new PostgresStoresExtension();
 *
 * @Test
 * void something() {
 *     EventStore store = postgres.newStores().eventStore();
 * }
 * }</pre>
 */
public final class PostgresStoresExtension implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final List<PostgresStores> ofTest = new ArrayList<>();
    private final List<PostgresStores> ofClass = new ArrayList<>();
    private PostgresStores shared;
    private boolean inTest;

    /**
     * The stores every test of the class shares, on a schema of their own: started on the first call, stopped after
     * the class. What a contract suite's binding needs, whose tests each work on fresh streams.
     */
    public synchronized PostgresStores classStores() {
        if (shared == null) {
            shared = PostgresStores.open(TestPostgres.server().freshSettings());
            ofClass.add(shared);
        }
        return shared;
    }

    /** Started stores on a schema of their own. */
    public PostgresStores newStores() {
        return newStores(UnaryOperator.identity());
    }

    /** Started stores on a schema of their own, with settings changed by {@code customize}. */
    public synchronized PostgresStores newStores(UnaryOperator<PostgresSettings> customize) {
        PostgresStores stores = PostgresStores.open(customize.apply(TestPostgres.server().freshSettings()));
        (inTest ? ofTest : ofClass).add(stores);
        return stores;
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        inTest = false;
        stopAll(ofTest);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        stopAll(ofClass);
        shared = null;
    }

    private static void stopAll(List<PostgresStores> stores) {
        stores.forEach(PostgresStores::stop);
        stores.clear();
    }
}
