package io.cairn.dynamodb.local;

import com.amazonaws.services.dynamodbv2.AmazonDynamoDB;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBStreams;
import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local (including DynamoDB Streams) inside this JVM with no server and no network: its supported embedded
 * mode ({@code DynamoDBEmbedded}), reached through SDK v2 client interfaces whose calls go straight to DynamoDB
 * Local's request handling, with no HTTP, no signing and no JSON. Cairn's embedded default. Its tables live in memory
 * ({@link #inMemory()}) or in a folder that survives a restart ({@link #persistentIn(Path)}): the same database file
 * that {@link EmbeddedDynamoDb#persistentIn(Path)} (the HTTP server, {@code -sharedDb}) keeps there, so either opens
 * the other's tables, one at a time.
 *
 * <p>Opening one does I/O and loads DynamoDB Local and SQLite (most of a second), so it happens in the factories.
 * DynamoDB Local's telemetry is off: nothing is sent anywhere. Thread-safe: the clients take calls from any number of
 * threads, and {@link #close()} waits for the calls in flight.
 *
 * <p><b>Who closes what.</b> This object owns the database: {@link #close()} shuts it down (idempotent) and stops
 * DynamoDB Local's threads, which are not daemon threads, so a JVM that does not close it does not exit by itself.
 * The clients' own {@code close()} does nothing; after {@link #close()} every call of theirs fails with an
 * {@link SdkClientException}, as a call to a server that has stopped does.
 */
public final class InProcessDynamoDb implements AutoCloseable {

    /**
     * The database file in a data folder: the name DynamoDB Local's server gives its shared database
     * ({@code -sharedDb}), so a folder written by {@link EmbeddedDynamoDb#persistentIn(Path)} opens here with its
     * tables.
     */
    public static final String DATABASE_FILE = "shared-local-instance.db";

    private final AmazonDynamoDBLocal local;
    private final Optional<Path> databaseFile;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streamsClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessDynamoDb(AmazonDynamoDBLocal local, Optional<Path> databaseFile) {
        this.local = local;
        this.databaseFile = databaseFile;
        this.client = guarded(DynamoDbClient.class, local.dynamoDbClient());
        this.streamsClient = guarded(DynamoDbStreamsClient.class, local.dynamoDbStreamsClient());
    }

    /**
     * Opens a database in memory, gone when this closes.
     *
     * @throws IllegalStateException when DynamoDB Local or SQLite cannot be loaded
     */
    public static InProcessDynamoDb inMemory() {
        return open(null);
    }

    /**
     * Opens the database in {@code dataDirectory} (the folder is created when missing), {@value #DATABASE_FILE}
     * there, where a later one finds the tables again.
     *
     * @throws NullPointerException  when {@code dataDirectory} is null
     * @throws UncheckedIOException  when the folder cannot be created
     * @throws IllegalStateException when DynamoDB Local or SQLite cannot be loaded, or the file cannot be opened (for
     *                               one, when this JVM has it open already)
     */
    public static InProcessDynamoDb persistentIn(Path dataDirectory) {
        return open(DynamoDbLocalRuntime.dataFolder(dataDirectory).resolve(DATABASE_FILE));
    }

    /** The DynamoDB client: no network, no retries, no timeouts; its {@code close()} does nothing. */
    public DynamoDbClient client() {
        return client;
    }

    /** The DynamoDB Streams client, as {@link #client()}. */
    public DynamoDbStreamsClient streamsClient() {
        return streamsClient;
    }

    /** The database file, or empty in memory. */
    public Optional<Path> databaseFile() {
        return databaseFile;
    }

    /**
     * Shuts the database down once the calls in flight have finished, and stops DynamoDB Local's threads; data in
     * memory is gone, data in a folder stays. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // shutdownNow, not shutdown: DynamoDB Local's shard-rollover job sleeps through a plain shutdown
            local.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "DynamoDB Local in process, " + databaseFile.map(f -> "data in " + f.getParent()).orElse("in memory");
    }

    private static InProcessDynamoDb open(Path databaseFile) {
        DynamoDbLocalRuntime.prepare();
        warmUpClientProxies();
        String cannotOpen = "DynamoDB Local cannot open its database "
                + (databaseFile == null ? "in memory" : databaseFile);
        AmazonDynamoDBLocal local;
        try {
            // true: telemetry disabled, whatever DDB_LOCAL_TELEMETRY says
            local = DynamoDBEmbedded.create(databaseFile == null ? null : databaseFile.toFile(), true);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(cannotOpen, e);
        }
        InProcessDynamoDb dynamoDb = new InProcessDynamoDb(local, Optional.ofNullable(databaseFile));
        try {
            // opens the database here, not in the first caller's request; a file that cannot be read fails here
            dynamoDb.client.listTables(b -> b.limit(1));
            return dynamoDb;
        } catch (RuntimeException e) {
            dynamoDb.close();
            throw new IllegalStateException(cannotOpen, e);
        }
    }

    /**
     * Defines, on a thread of its own, the proxy classes of the client interfaces, which DynamoDB Local (and
     * {@link #guarded}) build once it has loaded itself and SQLite: a proxy class loads the request and response
     * classes of every operation of its interface (for the SDK v2 sync client alone about 1 200 classes), which this
     * way load beside DynamoDB Local's own rather than after them. A proxy class is defined once per class loader, whichever thread asks first; the
     * other waits for it, so nothing here needs joining, and a failure here only loses the head start.
     */
    private static void warmUpClientProxies() {
        Thread warmUp = new Thread(() -> {
            InvocationHandler none = (proxy, method, args) -> null;
            // the interfaces DynamoDBEmbedded makes proxies of, in its order, each with its own class loader as it does
            for (Class<?> type : List.of(AmazonDynamoDB.class, DynamoDbClient.class, DynamoDbAsyncClient.class,
                    AmazonDynamoDBStreams.class, DynamoDbStreamsClient.class, DynamoDbStreamsAsyncClient.class)) {
                Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, none);
            }
        }, "cairn-dynamodb-local-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * {@code delegate} behind a proxy that keeps {@code close()} from shutting the shared database down and that
     * turns what DynamoDB Local throws outside the SDK's exception types (its inner SDK v1's, e.g. "Embedded server
     * is shut down" after {@link #close()}) into an {@link SdkClientException}, as a client that cannot reach its
     * server throws. DynamoDB's own answers (failed conditions, cancelled transactions, validation errors) pass as
     * they are.
     */
    private static <T> T guarded(Class<T> type, T delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, type);
            }
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                return null;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SdkException || cause instanceof Error
                        || !(cause instanceof RuntimeException)) {
                    throw cause;
                }
                throw SdkClientException.builder()
                        .message("DynamoDB Local in process failed " + method.getName() + ": " + cause.getMessage())
                        .cause(cause).build();
            }
        };
        return type.cast(Proxy.newProxyInstance(InProcessDynamoDb.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, Class<?> type) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "in-process " + type.getSimpleName();
        };
    }
}
