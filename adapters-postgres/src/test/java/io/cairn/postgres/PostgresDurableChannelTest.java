package io.cairn.postgres;

import io.cairn.contracts.DurableChannelContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDurableChannelTest extends DurableChannelContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static PostgresStores stores;

    @BeforeAll
    static void startStores() {
        stores = postgres.newStores();
    }

    @Override
    protected Backend newBackend() {
        return new Backend(stores.eventStore(), stores.durableChannel());
    }
}
