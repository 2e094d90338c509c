package io.cairn.dynamodb;

/** {@link DynamoDbEventStoreTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbEventStoreTest extends DynamoDbEventStoreTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
