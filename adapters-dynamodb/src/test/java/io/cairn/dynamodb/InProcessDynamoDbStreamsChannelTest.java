package io.cairn.dynamodb;

/** {@link DynamoDbStreamsChannelTest}'s tests against DynamoDB Local in process, the jar's embedded default. */
class InProcessDynamoDbStreamsChannelTest extends DynamoDbStreamsChannelTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
