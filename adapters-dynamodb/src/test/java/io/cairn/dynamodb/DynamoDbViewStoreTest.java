package io.cairn.dynamodb;

import io.cairn.application.port.ViewStore;
import io.cairn.contracts.TestState;
import io.cairn.contracts.ViewStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The view store contract against DynamoDB Local over HTTP. */
class DynamoDbViewStoreTest extends ViewStoreContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected ViewStore<TestState> newStore() {
        return STORES.viewStore("test-states", TestState.CODEC);
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
