package io.cairn.postgres;

import io.cairn.application.port.CheckpointStore;
import io.cairn.contracts.CheckpointStoreContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresCheckpointStoreTest extends CheckpointStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected CheckpointStore newStore() {
        return postgres.classStores().checkpointStore();
    }
}
