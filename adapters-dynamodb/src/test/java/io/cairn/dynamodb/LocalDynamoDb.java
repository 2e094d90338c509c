package io.cairn.dynamodb;

import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.dynamodb.local.InProcessDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * One DynamoDB Local per test JVM and way of reaching it ({@link Mode}), started on first use and stopped when the
 * JVM exits, and stores on it under a table prefix of their own, so test classes never meet.
 */
final class LocalDynamoDb {

    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    /** How the stores reach DynamoDB Local. */
    enum Mode {
        /** DynamoDB Local's HTTP server on loopback, through SDK clients built by {@link DynamoDbStores}. */
        HTTP,
        /** DynamoDB Local in process, through its own clients: the jar's embedded default. */
        IN_PROCESS
    }

    private static final Map<Class<?>, DynamoDbStores> PER_CLASS = new ConcurrentHashMap<>();

    private LocalDynamoDb() {
    }

    /** Settings for fresh tables over HTTP: a unique prefix, created at start-up, quick polling. */
    static DynamoDbSettings freshSettings() {
        return withFreshTables(DynamoDbSettings.local(HttpServer.INSTANCE.endpoint()));
    }

    /** Stores on fresh tables over HTTP. */
    static DynamoDbStores freshStores() {
        return freshStores(Mode.HTTP);
    }

    /** Stores on fresh tables, reached as {@code mode} says. */
    static DynamoDbStores freshStores(Mode mode) {
        return switch (mode) {
            case HTTP -> DynamoDbStores.open(freshSettings(), Optional.empty());
            case IN_PROCESS -> freshInProcessStores(ItemSize.LIMIT);
        };
    }

    /** Stores on fresh tables over HTTP whose SDK clients run {@code interceptors}, with an item limit. */
    static DynamoDbStores freshStores(List<ExecutionInterceptor> interceptors, long itemLimit) {
        return DynamoDbStores.open(freshSettings(), Optional.empty(), interceptors, Clock.systemUTC(), itemLimit);
    }

    /** Stores on fresh tables in process, with an item limit. */
    static DynamoDbStores freshInProcessStores(long itemLimit) {
        InProcessDynamoDb dynamoDb = InProcess.INSTANCE;
        return DynamoDbStores.open(withFreshTables(DynamoDbSettings.inProcess()), dynamoDb.client(),
                dynamoDb.streamsClient(), Optional.empty(), Clock.systemUTC(), itemLimit);
    }

    /**
     * The stores of one test class, on fresh tables opened on its first use: a subclass that runs its parent's tests
     * in another mode gets tables of its own. {@link #closeStoresOf} closes them.
     */
    static DynamoDbStores storesOf(Class<?> testClass, Mode mode) {
        return PER_CLASS.computeIfAbsent(testClass, c -> freshStores(mode));
    }

    static void closeStoresOf(Class<?> testClass) {
        DynamoDbStores stores = PER_CLASS.remove(testClass);
        if (stores != null) {
            stores.close();
        }
    }

    static java.net.URI endpoint() {
        return HttpServer.INSTANCE.endpoint();
    }

    private static DynamoDbSettings withFreshTables(DynamoDbSettings settings) {
        return settings.withTablePrefix("t" + UUID.randomUUID().toString().substring(0, 8) + "-")
                .withStreamsPollInterval(POLL_INTERVAL);
    }

    private static final class HttpServer {
        static final EmbeddedDynamoDb INSTANCE = start();

        private static EmbeddedDynamoDb start() {
            EmbeddedDynamoDb server = EmbeddedDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dynamodb-local-stop"));
            return server;
        }
    }

    private static final class InProcess {
        static final InProcessDynamoDb INSTANCE = start();

        private static InProcessDynamoDb start() {
            InProcessDynamoDb dynamoDb = InProcessDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(dynamoDb::close, "dynamodb-local-in-process-stop"));
            return dynamoDb;
        }
    }
}
