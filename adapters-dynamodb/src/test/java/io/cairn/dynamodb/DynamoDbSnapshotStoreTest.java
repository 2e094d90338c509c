package io.cairn.dynamodb;

import io.cairn.application.port.SnapshotStore;
import io.cairn.contracts.SnapshotStoreContract;
import io.cairn.contracts.TestState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/** The snapshot store contract against DynamoDB Local over HTTP (its subclass: in process). */
class DynamoDbSnapshotStoreTest extends SnapshotStoreContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbSnapshotStoreTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected SnapshotStore<TestState> newStore() {
        return stores().snapshotStore(TestState.CODEC);
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
