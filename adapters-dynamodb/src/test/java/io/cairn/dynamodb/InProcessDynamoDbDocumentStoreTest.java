package io.cairn.dynamodb;

/** {@link DynamoDbDocumentStoreTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbDocumentStoreTest extends DynamoDbDocumentStoreTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
