package io.cairn.dynamodb;

import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * One DynamoDB Local per test JVM, started on first use and stopped when the JVM exits, and stores on it under a
 * table prefix of their own, so test classes never meet.
 */
final class LocalDynamoDb {

    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private LocalDynamoDb() {
    }

    /** Settings for fresh tables: a unique prefix, created at start-up, quick polling. */
    static DynamoDbSettings freshSettings() {
        return DynamoDbSettings.local(Server.INSTANCE.endpoint())
                .withTablePrefix("t" + UUID.randomUUID().toString().substring(0, 8) + "-")
                .withStreamsPollInterval(POLL_INTERVAL);
    }

    /** Stores on fresh tables. */
    static DynamoDbStores freshStores() {
        return DynamoDbStores.open(freshSettings(), Optional.empty());
    }

    /** Stores on fresh tables whose SDK clients run {@code interceptors}, with an item limit. */
    static DynamoDbStores freshStores(List<ExecutionInterceptor> interceptors, long itemLimit) {
        return DynamoDbStores.open(freshSettings(), Optional.empty(), interceptors, Clock.systemUTC(), itemLimit);
    }

    static java.net.URI endpoint() {
        return Server.INSTANCE.endpoint();
    }

    private static final class Server {
        static final EmbeddedDynamoDb INSTANCE = start();

        private static EmbeddedDynamoDb start() {
            EmbeddedDynamoDb server = EmbeddedDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynamodb-local-stop"));
            return server;
        }
    }
}
