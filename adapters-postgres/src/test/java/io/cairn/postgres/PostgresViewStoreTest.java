package io.cairn.postgres;

import io.cairn.application.port.ViewStore;
import io.cairn.contracts.TestState;
import io.cairn.contracts.ViewStoreContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresViewStoreTest extends ViewStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected ViewStore<TestState> newStore() {
        return postgres.classStores().viewStore("view-" + UUID.randomUUID(), TestState.CODEC);
    }
}
