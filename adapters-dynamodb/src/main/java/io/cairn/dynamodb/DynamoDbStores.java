package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Cairn's DynamoDB adapters, assembled without a DI container: one object per deployment that hands out the stores,
 * on SDK clients it builds and owns ({@link #open(DynamoDbSettings, Optional)}) or on clients the caller brings and
 * keeps ({@link #open(DynamoDbSettings, DynamoDbClient, DynamoDbStreamsClient, Optional)}, e.g. DynamoDB Local's in
 * process). Opening checks (or creates) the tables, so it does I/O: call it when the application starts, and
 * {@link #close()} when it stops.
 *
 * <pre>{@code
 * try (DynamoDbStores dynamo = DynamoDbStores.open(DynamoDbSettings.local(endpoint), Optional.of(registry))) {
 *     EventStore events = dynamo.eventStore();
 *     ViewStore<ProductState> products = dynamo.viewStore("products", productCodec);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>HTTP client</b> (of the clients built here). The SDK's Apache client: a pool of keep-alive connections sized for concurrent commands,
 * with separate connect, socket and pool-acquisition timeouts, so a slow or unreachable DynamoDB turns into a quick
 * {@link io.cairn.application.port.StoreUnavailableException} instead of piled-up threads (the URL-connection
 * client has no pool limit or acquisition timeout). <b>Retries:</b> the SDK's standard strategy, 3 attempts with
 * jittered backoff on throttling, 5xx and I/O errors, within a 2-second attempt and 5-second call timeout.
 * Thread-safe.
 */
public final class DynamoDbStores implements AutoCloseable {

    /**
     * The most items (documents, states and checkpoint together) one {@link DocumentStore#write} of a
     * {@link #documentStore} takes: DynamoDB's limit for one transaction. A write also takes at most
     * {@value #MAX_BYTES_PER_DOCUMENT_WRITE} bytes of items. A larger one is refused with an
     * {@link IllegalArgumentException}: the caller splits its batches.
     */
    public static final int MAX_ITEMS_PER_DOCUMENT_WRITE = DynamoDbDocumentStore.MAX_ITEMS_PER_WRITE;
    /** The most bytes of items one {@link DocumentStore#write} of a {@link #documentStore} takes (4 MB). */
    public static final long MAX_BYTES_PER_DOCUMENT_WRITE = DynamoDbDocumentStore.MAX_BYTES_PER_WRITE;

    static final int MAX_CONNECTIONS = 64;
    /**
     * The most conditional puts of {@link ViewStore#putEach} in flight at once beside their callers', for every
     * store of these: a projector's batch of views is written this many at a time (each caller writes one more).
     */
    static final int CONCURRENT_WRITES = 16;
    static final long HEAD_CACHE_SIZE = 100_000;
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** How long before DynamoDB Streams' 24-hour retention a position counts as possibly trimmed. */
    static final Duration RETENTION_MARGIN = Duration.ofHours(1);

    private final DynamoDbSettings settings;
    private final DynamoDbClient client;
    private final DynamoDbStreamsClient streams;
    private final ConsumedCapacity capacity;
    private final DynamoDbCalls calls;
    /** Runs the conditional puts of one {@link ViewStore#putEach} beside the caller's thread. */
    private final ThreadPoolExecutor writers;
    private final Clock clock;
    private final EventStore eventStore;
    private final DynamoDbCheckpointStore checkpointStore;
    /** Whether {@link #close()} closes the clients: those built here, not the caller's. */
    private final boolean ownsClients;

    private DynamoDbStores(DynamoDbSettings settings, DynamoDbClient client, DynamoDbStreamsClient streams,
                           boolean ownsClients, ConsumedCapacity capacity, Clock clock, long itemLimit) {
        this.settings = settings;
        this.client = client;
        this.streams = streams;
        this.ownsClients = ownsClients;
        this.capacity = capacity;
        this.clock = clock;
        this.writers = writers();
        this.calls = new DynamoDbCalls(client, capacity, writers);
        TableNames tables = settings.tableNames();
        this.eventStore = new DynamoDbEventStore(calls, tables.events(), clock, itemLimit, HEAD_CACHE_SIZE);
        this.checkpointStore = new DynamoDbCheckpointStore(calls, tables.checkpoints());
    }

    /**
     * Connects to DynamoDB as {@code settings} say and creates or checks the tables.
     *
     * @param registry where to publish capacity meters, if anywhere
     * @throws IllegalStateException when a table is missing (with {@code createTables} off) or has no stream
     * @throws io.cairn.application.port.StoreUnavailableException when DynamoDB cannot be reached
     */
    public static DynamoDbStores open(DynamoDbSettings settings, Optional<MeterRegistry> registry) {
        return open(settings, registry, List.of(), Clock.systemUTC(), ItemSize.LIMIT);
    }

    /**
     * Stores on clients the caller made and keeps ("bring your own client"): DynamoDB Local's in process
     * ({@code io.cairn.dynamodb.local.InProcessDynamoDb}), or SDK clients configured as this class does not (another
     * HTTP client, a proxy, interceptors). Creates or checks the tables as {@code settings} say; their endpoint and
     * region are not used, the clients know where DynamoDB is. The clients' retries and timeouts are theirs.
     *
     * <p><b>Who closes what:</b> {@link #close()} stops what these stores started and leaves both clients open; the
     * caller closes them afterwards (after stopping the channel's subscriptions and closing these stores), and never
     * before. Calls on closed clients fail as the clients fail, which the stores report as
     * {@link io.cairn.application.port.StoreUnavailableException} when it is an {@code SdkException}.
     *
     * @param client   the DynamoDB client the stores make every call on; thread-safe, as the SDK's are
     * @param streams  the DynamoDB Streams client the {@link #durableChannel()} reads with
     * @param registry where to publish capacity meters, if anywhere
     * @throws NullPointerException  when an argument is null
     * @throws IllegalStateException when a table is missing (with {@code createTables} off) or has no stream
     * @throws io.cairn.application.port.StoreUnavailableException when DynamoDB cannot be reached
     */
    public static DynamoDbStores open(DynamoDbSettings settings, DynamoDbClient client, DynamoDbStreamsClient streams,
                                      Optional<MeterRegistry> registry) {
        return open(settings, client, streams, registry, Clock.systemUTC(), ItemSize.LIMIT);
    }

    /** {@link #open(DynamoDbSettings, DynamoDbClient, DynamoDbStreamsClient, Optional)} with a clock and an item limit, for tests. */
    static DynamoDbStores open(DynamoDbSettings settings, DynamoDbClient client, DynamoDbStreamsClient streams,
                               Optional<MeterRegistry> registry, Clock clock, long itemLimit) {
        requireNonNull(settings, "settings must not be null");
        requireNonNull(client, "client must not be null");
        requireNonNull(streams, "streams must not be null");
        requireNonNull(registry, "registry must not be null");
        return checked(new DynamoDbStores(settings, client, streams, false, new ConsumedCapacity(registry), clock,
                itemLimit));
    }

    /** {@link #open(DynamoDbSettings, Optional)} with SDK interceptors, a clock and an item limit, for tests. */
    static DynamoDbStores open(DynamoDbSettings settings, Optional<MeterRegistry> registry,
                               List<ExecutionInterceptor> interceptors, Clock clock, long itemLimit) {
        requireNonNull(settings, "settings must not be null");
        requireNonNull(registry, "registry must not be null");
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                .apiCallAttemptTimeout(Duration.ofSeconds(2))
                .apiCallTimeout(Duration.ofSeconds(5))
                .executionInterceptors(interceptors)
                .build();
        DynamoDbClient client = configure(DynamoDbClient.builder(), settings, overrides).build();
        DynamoDbStreamsClient streams = configure(DynamoDbStreamsClient.builder(), settings, overrides).build();
        return checked(new DynamoDbStores(settings, client, streams, true, new ConsumedCapacity(registry), clock,
                itemLimit));
    }

    /** {@code stores} once their tables are created or checked as the settings say; closed when that fails. */
    private static DynamoDbStores checked(DynamoDbStores stores) {
        try {
            new DynamoDbTables(stores.client, stores.settings.tableNames()).ensure(stores.settings.createTables());
            return stores;
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    /** The event store on the events table. */
    public EventStore eventStore() {
        return eventStore;
    }

    /** Snapshots of one aggregate type on the events table's sort-key-0 items, encoded with {@code codec}. */
    public <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec) {
        return new DynamoDbSnapshotStore<>(calls, settings.tableNames().events(), codec);
    }

    /**
     * The views named {@code name} in the views table, encoded with {@code codec}.
     *
     * @param name 1-200 characters of {@code [A-Za-z0-9._-]}, unique per view
     * @throws IllegalArgumentException for another name
     */
    public <S> ViewStore<S> viewStore(String name, StateCodec<S> codec) {
        return new DynamoDbViewStore<>(calls, settings.tableNames().views(), name, codec);
    }

    public CheckpointStore checkpointStore() {
        return checkpointStore;
    }

    /**
     * The documents of the projection {@code projection} in the documents table, and its per-stream states in the
     * views table (as view {@code <projection>.streams}), encoded with {@code codec}; its checkpoints are
     * {@link #checkpointStore()}. One write is one transaction of at most {@value #MAX_ITEMS_PER_DOCUMENT_WRITE}
     * items; a document is at most {@link DocumentStore#maxDocumentBytes()}, a key at most 1024 bytes of UTF-8.
     * On DynamoDB all of one projection's documents are in one partition, which bounds its write rate to that of
     * one partition.
     *
     * @param projection 1-192 characters of {@code [A-Za-z0-9._-]}, unique per projection
     * @throws IllegalArgumentException for another name
     */
    public <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec) {
        TableNames tables = settings.tableNames();
        return new DynamoDbDocumentStore<>(calls, tables.documents(), projection,
                new DynamoDbViewStore<>(calls, tables.views(), DynamoDbDocumentStore.statesView(projection), codec),
                checkpointStore);
    }

    /** The DynamoDB Streams channel that follows the events table. */
    public DurableChannel durableChannel() {
        String events = settings.tableNames().events();
        return new DynamoDbStreamsChannel(
                () -> new DynamoDbShardSource(client, streams, events, clock, RETENTION_MARGIN),
                new TableScan(calls, events), clock, settings.streamsPollInterval(), RETRY_PAUSE, RETENTION_MARGIN);
    }

    /**
     * One check per table: {@code dynamodb-events}, {@code dynamodb-views}, {@code dynamodb-checkpoints},
     * {@code dynamodb-documents}.
     */
    public List<HealthCheck> healthChecks() {
        TableNames tables = settings.tableNames();
        return List.of(
                new DynamoDbHealthCheck(client, "dynamodb-events", tables.events()),
                new DynamoDbHealthCheck(client, "dynamodb-views", tables.views()),
                new DynamoDbHealthCheck(client, "dynamodb-checkpoints", tables.checkpoints()),
                new DynamoDbHealthCheck(client, "dynamodb-documents", tables.documents()));
    }

    /** The capacity units consumed through these stores, per purpose. */
    public ConsumedCapacity consumedCapacity() {
        return capacity;
    }

    /**
     * DynamoDB's approximate item count of the events table ({@code DescribeTable}'s {@code ItemCount}, which AWS
     * refreshes about every six hours; DynamoDB Local's is current): about how many commits the store holds, snapshot
     * items included. What a rebuild's progress counts against. Empty when DynamoDB does not say.
     *
     * @throws io.cairn.application.port.StoreUnavailableException when DynamoDB cannot be reached
     */
    public OptionalLong approximateCommitCount() {
        String table = settings.tableNames().events();
        Long count = DynamoDbCalls.call(table, "DescribeTable",
                () -> client.describeTable(b -> b.tableName(table))).table().itemCount();
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }

    public DynamoDbSettings settings() {
        return settings;
    }

    DynamoDbCalls calls() {
        return calls;
    }

    /**
     * Stops the stores' writer threads and closes the SDK clients built here; clients the caller brought stay open,
     * for the caller to close after this. Stop the channel's subscriptions first.
     */
    @Override
    public void close() {
        writers.shutdown();
        if (!ownsClients) {
            return;
        }
        try {
            streams.close();
        } finally {
            client.close();
        }
    }

    /** {@value #CONCURRENT_WRITES} daemon threads at most, that end when idle for a while. */
    private static ThreadPoolExecutor writers() {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(CONCURRENT_WRITES, CONCURRENT_WRITES, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "cairn-dynamodb-writer-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>> B configure(
            B builder, DynamoDbSettings settings, ClientOverrideConfiguration overrides) {
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(overrides)
                .httpClientBuilder(httpClient()); // built and closed by the SDK client
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private static AwsCredentialsProvider credentials(DynamoDbSettings settings) {
        return settings.endpoint().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("cairnlocal", "cairnlocal"))
                : DefaultCredentialsProvider.builder().build();
    }

    private static ApacheHttpClient.Builder httpClient() {
        return ApacheHttpClient.builder()
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(2))
                .connectionAcquisitionTimeout(Duration.ofSeconds(1))
                .tcpKeepAlive(true);
    }
}
