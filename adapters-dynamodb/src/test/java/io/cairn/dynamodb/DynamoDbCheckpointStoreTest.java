package io.cairn.dynamodb;

import io.cairn.application.port.CheckpointStore;
import io.cairn.contracts.CheckpointStoreContract;
import org.junit.jupiter.api.AfterAll;

/** The checkpoint store contract against DynamoDB Local over HTTP. */
class DynamoDbCheckpointStoreTest extends CheckpointStoreContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected CheckpointStore newStore() {
        return STORES.checkpointStore();
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
