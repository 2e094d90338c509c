package io.cairn.dynamodb;

import io.cairn.contracts.DurableChannelContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/**
 * The durable channel contract against DynamoDB Streams on DynamoDB Local. Streams order changes per item only, so
 * the suite checks that every commit arrives rather than their order within a stream.
 */
class DynamoDbStreamsChannelTest extends DurableChannelContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbStreamsChannelTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected Backend newBackend() {
        return new Backend(stores().eventStore(), stores().durableChannel());
    }

    @Override
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(15);
    }

    @Override
    protected boolean deliversInRevisionOrderPerStream() {
        return false;
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
