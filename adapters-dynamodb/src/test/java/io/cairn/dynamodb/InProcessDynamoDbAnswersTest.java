package io.cairn.dynamodb;

/** {@link DynamoDbAnswersTest} against DynamoDB Local in process: the same answers, the same Cairn outcomes. */
class InProcessDynamoDbAnswersTest extends DynamoDbAnswersTest {

    @Override
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.IN_PROCESS;
    }
}
