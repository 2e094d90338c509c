package io.cairn.dynamodb;

import io.cairn.application.port.DocumentStore;
import io.cairn.contracts.DocumentStoreContract;
import io.cairn.contracts.TestState;
import org.junit.jupiter.api.AfterAll;

/** The document store contract against DynamoDB Local over HTTP. */
class DynamoDbDocumentStoreTest extends DocumentStoreContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected DocumentStore<TestState> newStore(String projection) {
        return STORES.documentStore(projection, TestState.CODEC);
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
