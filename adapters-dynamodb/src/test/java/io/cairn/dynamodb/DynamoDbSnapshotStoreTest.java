package io.cairn.dynamodb;

import io.cairn.application.port.SnapshotStore;
import io.cairn.contracts.SnapshotStoreContract;
import io.cairn.contracts.TestState;
import org.junit.jupiter.api.AfterAll;

/** The snapshot store contract against DynamoDB Local over HTTP. */
class DynamoDbSnapshotStoreTest extends SnapshotStoreContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected SnapshotStore<TestState> newStore() {
        return STORES.snapshotStore(TestState.CODEC);
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
