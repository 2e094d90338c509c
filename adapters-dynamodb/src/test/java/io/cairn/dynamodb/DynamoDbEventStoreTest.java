package io.cairn.dynamodb;

import io.cairn.application.port.EventStore;
import io.cairn.contracts.EventStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The event store contract against DynamoDB Local over HTTP. */
class DynamoDbEventStoreTest extends EventStoreContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected EventStore newStore() {
        return STORES.eventStore();
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
