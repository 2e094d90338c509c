package io.cairn.dynamodb;

/** {@link DynamoDbViewStoreTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbViewStoreTest extends DynamoDbViewStoreTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
