package io.cairn.disruptor;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStore;
import io.cairn.accounts.AccountState;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.dynamodb.local.InProcessDynamoDb;
import io.cairn.json.JacksonStateCodec;
import io.cairn.postgres.PostgresStores;
import io.cairn.postgres.testing.TestPostgres;
import java.time.Duration;
import java.util.Optional;

/**
 * The ports a projector runs on, for each store: fresh tables (DynamoDB), a fresh schema (PostgreSQL) or fresh
 * maps (memory) per call. The servers are real and shared by the whole run.
 */
record ProjectorStores(String name, EventStore events, Optional<GlobalLog> log, ViewStore<AccountState> views,
                       ViewStore<RevisionOnly> revisions, CheckpointStore checkpoints, DurableChannel durable,
                       AutoCloseable closer)
        implements AutoCloseable {

    static final JacksonStateCodec<AccountState> STATE_CODEC = new JacksonStateCodec<>(AccountState.class, 1);

    private static EmbeddedDynamoDb dynamoDb;
    private static InProcessDynamoDb inProcessDynamoDb;

    /** DYNAMODB: DynamoDB Local over HTTP; DYNAMODB_IN_PROCESS: in process, the jar's embedded default. */
    enum Kind {
        MEMORY, DYNAMODB, DYNAMODB_IN_PROCESS, POSTGRES;

        ProjectorStores open() {
            return switch (this) {
                case MEMORY -> memory();
                case DYNAMODB -> dynamoDb();
                case DYNAMODB_IN_PROCESS -> dynamoDbInProcess();
                case POSTGRES -> postgres();
            };
        }
    }

    static ProjectorStores memory() {
        InMemoryEventStore store = new InMemoryEventStore();
        return new ProjectorStores("memory", store, Optional.of(store), new InMemoryViewStore<>(),
                new InMemoryViewStore<>(), new InMemoryCheckpointStore(), new InMemoryDurableChannel(store, 20),
                () -> { });
    }

    static synchronized ProjectorStores dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = EmbeddedDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(dynamoDb::close));
        }
        return dynamoDb("DynamoDB", DynamoDbStores.open(freshTables(DynamoDbSettings.local(dynamoDb.endpoint())),
                Optional.empty()));
    }

    static synchronized ProjectorStores dynamoDbInProcess() {
        if (inProcessDynamoDb == null) {
            inProcessDynamoDb = InProcessDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(inProcessDynamoDb::close));
        }
        return dynamoDb("DynamoDB in process", DynamoDbStores.open(freshTables(DynamoDbSettings.inProcess()),
                inProcessDynamoDb.client(), inProcessDynamoDb.streamsClient(), Optional.empty()));
    }

    private static DynamoDbSettings freshTables(DynamoDbSettings settings) {
        return settings.withTablePrefix("p" + Long.toHexString(System.nanoTime()) + "-")
                .withStreamsPollInterval(Duration.ofMillis(50));
    }

    private static ProjectorStores dynamoDb(String name, DynamoDbStores stores) {
        return new ProjectorStores(name, stores.eventStore(), Optional.empty(),
                stores.viewStore("accounts", STATE_CODEC), stores.viewStore("feed", RevisionOnly.codec()),
                stores.checkpointStore(), stores.durableChannel(), stores::close);
    }

    static ProjectorStores postgres() {
        PostgresStores stores = PostgresStores.open(TestPostgres.server().freshSettings()
                .withPollInterval(Duration.ofMillis(50)));
        TransactionalViewStore<AccountState> views = stores.viewStore("accounts", STATE_CODEC);
        return new ProjectorStores("PostgreSQL", stores.eventStore(), Optional.of(stores.globalLog()), views,
                stores.viewStore("feed", RevisionOnly.codec()), views.checkpoints(), stores.durableChannel(),
                stores::close);
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
