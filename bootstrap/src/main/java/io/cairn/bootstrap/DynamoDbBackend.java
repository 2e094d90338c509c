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
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DynamoDB: an embedded DynamoDB Local with its data in {@code <data-dir>/dynamodb} (the default), any endpoint, or
 * AWS. DynamoDB has no global order, so {@code GET /all} answers 501.
 */
final class DynamoDbBackend implements StoreBackend {

    private final Optional<EmbeddedDynamoDb> embedded;
    private final DynamoDbStores stores;
    private final String description;

    private DynamoDbBackend(Optional<EmbeddedDynamoDb> embedded, DynamoDbStores stores, String description) {
        this.embedded = embedded;
        this.stores = stores;
        this.description = description;
    }

    static DynamoDbBackend open(CairnConfig config, MeterRegistry registry) {
        DynamoDbConfig dynamo = config.dynamoDb();
        Optional<EmbeddedDynamoDb> embedded = Optional.empty();
        Optional<URI> endpoint = dynamo.endpoint();
        String where;
        if (dynamo.embedded()) {
            Path data = config.dataDir().resolve("dynamodb").toAbsolutePath().normalize();
            embedded = Optional.of(EmbeddedDynamoDb.persistentIn(data));
            endpoint = Optional.of(embedded.get().endpoint());
            where = "an embedded DynamoDB Local at " + endpoint.get() + ", data in " + data;
        } else {
            where = endpoint.map(uri -> "the DynamoDB endpoint " + uri)
                    .orElse("AWS DynamoDB in " + dynamo.region());
        }
        try {
            DynamoDbSettings settings = dynamo.settings(endpoint);
            DynamoDbStores stores = DynamoDbStores.open(settings, Optional.of(registry));
            TableNames tables = settings.tableNames();
            return new DynamoDbBackend(embedded, stores, "DynamoDB: " + where + ", tables " + tables.events()
                    + ", " + tables.views() + ", " + tables.checkpoints() + ", " + tables.documents());
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedDynamoDb::close);
            throw e;
        }
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
    public String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            stores.close();
        } finally {
            embedded.ifPresent(EmbeddedDynamoDb::close);
        }
    }
}
