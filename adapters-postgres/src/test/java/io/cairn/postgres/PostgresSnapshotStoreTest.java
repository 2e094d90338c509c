package io.cairn.postgres;

import io.cairn.application.port.SnapshotStore;
import io.cairn.contracts.SnapshotStoreContract;
import io.cairn.contracts.TestState;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSnapshotStoreTest extends SnapshotStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected SnapshotStore<TestState> newStore() {
        return postgres.classStores().snapshotStore(TestState.CODEC);
    }
}
