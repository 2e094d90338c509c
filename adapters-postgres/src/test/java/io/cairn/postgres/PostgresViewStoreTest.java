package io.cairn.postgres;

import io.cairn.application.port.ViewStore;
import io.cairn.contracts.TestState;
import io.cairn.contracts.ViewStoreContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresViewStoreTest extends ViewStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static PostgresStores stores;

    @BeforeAll
    static void startStores() {
        stores = postgres.newStores();
    }

    @Override
    protected ViewStore<TestState> newStore() {
        return stores.viewStore("view-" + UUID.randomUUID(), TestState.CODEC);
    }
}
