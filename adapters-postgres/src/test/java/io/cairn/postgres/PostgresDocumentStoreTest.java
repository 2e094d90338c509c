package io.cairn.postgres;

import io.cairn.application.port.DocumentStore;
import io.cairn.contracts.DocumentStoreContract;
import io.cairn.contracts.TestState;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDocumentStoreTest extends DocumentStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected DocumentStore<TestState> newStore(String projection) {
        return postgres.classStores().documentStore(projection, TestState.CODEC);
    }
}
