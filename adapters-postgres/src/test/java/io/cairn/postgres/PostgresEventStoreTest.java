package io.cairn.postgres;

import io.cairn.application.port.EventStore;
import io.cairn.contracts.EventStoreContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresEventStoreTest extends EventStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected EventStore newStore() {
        return postgres.classStores().eventStore();
    }
}
