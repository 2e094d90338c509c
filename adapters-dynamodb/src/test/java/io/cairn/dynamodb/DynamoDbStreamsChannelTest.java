package io.cairn.dynamodb;

import io.cairn.contracts.DurableChannelContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The durable channel contract against DynamoDB Streams on DynamoDB Local. Streams order changes per item only, so
 * the suite checks that every commit arrives rather than their order within a stream.
 */
class DynamoDbStreamsChannelTest extends DurableChannelContract {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();

    @Override
    protected Backend newBackend() {
        return new Backend(STORES.eventStore(), STORES.durableChannel());
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
    static void close() {
        STORES.close();
    }
}
