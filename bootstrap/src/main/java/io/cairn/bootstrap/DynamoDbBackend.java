package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.bootstrap.CairnConfig.DynamoDbConfig;
import io.cairn.domain.StateCodec;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.TableNames;
import io.cairn.dynamodb.local.InProcessDynamoDb;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * DynamoDB: DynamoDB Local in this process with its data in {@code <data-dir>/dynamodb} (the default), any endpoint,
 * or AWS. In process there is no server, no port and no HTTP: the stores call DynamoDB Local through its own SDK v2
 * clients ({@link InProcessDynamoDb}); a folder an earlier version's embedded server wrote opens as it is. DynamoDB
 * has no global order, so {@code GET /all} answers 501.
 */
final class DynamoDbBackend implements StoreBackend {

    private final Optional<InProcessDynamoDb> embedded;
    private final DynamoDbStores stores;
    private final String description;

    private DynamoDbBackend(Optional<InProcessDynamoDb> embedded, DynamoDbStores stores, String description) {
        this.embedded = embedded;
        this.stores = stores;
        this.description = description;
    }

    /**
     * Opens the stores as {@code config} says; embedded, opens DynamoDB Local in process first. Called on the
     * thread that opens the store beside the domains ({@link Cairn#start(CairnConfig)}).
     *
     * @throws IllegalStateException when DynamoDB Local cannot open its data folder, or a table is missing or wrong
     * @throws io.cairn.application.port.StoreUnavailableException when DynamoDB cannot be reached
     */
    static DynamoDbBackend open(CairnConfig config, MeterRegistry registry) {
        DynamoDbConfig dynamo = config.dynamoDb();
        if (!dynamo.embedded()) {
            Optional<URI> endpoint = dynamo.endpoint();
            String where = endpoint.map(uri -> "the DynamoDB endpoint " + uri)
                    .orElse("AWS DynamoDB in " + dynamo.region());
            DynamoDbSettings settings = dynamo.settings(endpoint);
            return new DynamoDbBackend(Optional.empty(), DynamoDbStores.open(settings, Optional.of(registry)),
                    describe(where, settings));
        }
        Path data = config.dataDir().resolve("dynamodb").toAbsolutePath().normalize();
        InProcessDynamoDb local = InProcessDynamoDb.persistentIn(data);
        try {
            DynamoDbSettings settings = dynamo.settings(Optional.empty());
            DynamoDbStores stores = DynamoDbStores.open(settings, local.client(), local.streamsClient(),
                    Optional.of(registry));
            return new DynamoDbBackend(Optional.of(local), stores, describe(
                    "an embedded DynamoDB Local in this process (no server, no port), data in " + data, settings));
        } catch (RuntimeException | Error e) {
            local.close();
            throw e;
        }
    }

    private static String describe(String where, DynamoDbSettings settings) {
        TableNames tables = settings.tableNames();
        return "DynamoDB: " + where + ", tables " + tables.events() + ", " + tables.views() + ", "
                + tables.checkpoints() + ", " + tables.documents();
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(EventStore.class).toInstance(stores.eventStore());
                bind(CheckpointStore.class).toInstance(stores.checkpointStore());
                bind(DurableChannel.class).toInstance(stores.durableChannel());
                Multibinder<HealthCheck> checks = Multibinder.newSetBinder(binder(), HealthCheck.class);
                stores.healthChecks().forEach(check -> checks.addBinding().toInstance(check));
            }
        };
    }

    @Override
    public <S> ViewStore<S> viewStore(String name, StateCodec<S> codec) {
        return stores.viewStore(name, codec);
    }

    @Override
    public <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec) {
        return stores.documentStore(projection, codec);
    }

    @Override
    public <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec) {
        return stores.snapshotStore(codec);
    }

    @Override
    public CheckpointStore checkpoints() {
        return stores.checkpointStore();
    }

    @Override
    public OptionalLong approximateCommitCount() {
        return stores.approximateCommitCount();
    }

    @Override
    public String description() {
        return description;
    }

    /** Closes the stores, then the in-process DynamoDB Local whose clients they used. */
    @Override
    public void close() {
        try {
            stores.close();
        } finally {
            embedded.ifPresent(InProcessDynamoDb::close);
        }
    }
}
