package io.cairn.postgres;

import io.cairn.contracts.GlobalLogContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresGlobalLogTest extends GlobalLogContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected Backend newBackend() {
        PostgresStores stores = postgres.newStores();
        return new Backend(stores.eventStore(), stores.globalLog());
    }
}
