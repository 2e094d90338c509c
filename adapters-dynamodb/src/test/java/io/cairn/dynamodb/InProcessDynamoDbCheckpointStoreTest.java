package io.cairn.dynamodb;

/** {@link DynamoDbCheckpointStoreTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbCheckpointStoreTest extends DynamoDbCheckpointStoreTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
