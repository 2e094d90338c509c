package io.cairn.dynamodb;

import io.cairn.application.port.CheckpointStore;
import io.cairn.contracts.CheckpointStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/** The checkpoint store contract against DynamoDB Local over HTTP (its subclass: in process). */
class DynamoDbCheckpointStoreTest extends CheckpointStoreContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbCheckpointStoreTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected CheckpointStore newStore() {
        return stores().checkpointStore();
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
