package io.cairn.dynamodb;

import io.cairn.contracts.TestState;
import io.cairn.contracts.TimeTravelContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/** Time travel against DynamoDB Local: bounded queries beside the snapshot item at sort key 0, and views. */
class DynamoDbTimeTravelTest extends TimeTravelContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbTimeTravelTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected Stores newStores() {
        return new Stores(stores().eventStore(), stores().snapshotStore(TestState.CODEC),
                stores().viewStore("time-travel", TestState.CODEC));
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
