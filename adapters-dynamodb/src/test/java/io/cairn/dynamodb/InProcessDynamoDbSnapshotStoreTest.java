package io.cairn.dynamodb;

/** {@link DynamoDbSnapshotStoreTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbSnapshotStoreTest extends DynamoDbSnapshotStoreTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
