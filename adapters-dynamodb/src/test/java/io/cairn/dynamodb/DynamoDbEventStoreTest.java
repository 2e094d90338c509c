package io.cairn.dynamodb;

import io.cairn.application.port.EventStore;
import io.cairn.contracts.EventStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/** The event store contract against DynamoDB Local over HTTP (its subclass: in process). */
class DynamoDbEventStoreTest extends EventStoreContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbEventStoreTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected EventStore newStore() {
        return stores().eventStore();
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
