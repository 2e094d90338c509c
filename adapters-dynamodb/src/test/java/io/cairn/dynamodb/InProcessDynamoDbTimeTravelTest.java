package io.cairn.dynamodb;

/** {@link DynamoDbTimeTravelTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbTimeTravelTest extends DynamoDbTimeTravelTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
