package io.cairn.postgres;

import io.cairn.application.port.SnapshotStore;
import io.cairn.contracts.SnapshotStoreContract;
import io.cairn.contracts.TestState;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSnapshotStoreTest extends SnapshotStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static PostgresStores stores;

    @BeforeAll
    static void startStores() {
        stores = postgres.newStores();
    }

    @Override
    protected SnapshotStore<TestState> newStore() {
        return stores.snapshotStore(TestState.CODEC);
    }
}
