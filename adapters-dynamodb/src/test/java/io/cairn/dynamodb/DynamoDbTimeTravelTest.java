package io.cairn.dynamodb;

import io.cairn.contracts.TestState;
import io.cairn.contracts.TimeTravelContract;
import org.junit.jupiter.api.AfterAll;

/** Time travel against DynamoDB Local: bounded queries beside the snapshot item at sort key 0, and views. */
class DynamoDbTimeTravelTest extends TimeTravelContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected Stores newStores() {
        return new Stores(STORES.eventStore(), STORES.snapshotStore(TestState.CODEC),
                STORES.viewStore("time-travel", TestState.CODEC));
    }

    @AfterAll
    static void close() {
        STORES.close();
    }
}
