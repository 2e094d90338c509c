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
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /** How often a free port may be taken by someone else before the embedded server gives up. */
    private static final int PORT_ATTEMPTS = 3;

    static DynamoDbBackend open(CairnConfig config, MeterRegistry registry) {
        DynamoDbConfig dynamo = config.dynamoDb();
        if (!dynamo.embedded()) {
            Optional<URI> endpoint = dynamo.endpoint();
            String where = endpoint.map(uri -> "the DynamoDB endpoint " + uri)
                    .orElse("AWS DynamoDB in " + dynamo.region());
            return open(dynamo.settings(endpoint), Optional.empty(), CompletableFuture.completedFuture(null),
                    where, registry);
        }
        Path data = config.dataDir().resolve("dynamodb").toAbsolutePath().normalize();
        for (int attempt = 1; ; attempt++) {
            // DynamoDB Local's start and the SDK clients' set-up (both mostly class loading) are independent once
            // the port is known: the server starts on a thread of its own while this one builds the clients
            int port = EmbeddedDynamoDb.freeLoopbackPort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            DynamoDbSettings settings = dynamo.settings(Optional.of(endpoint));
            CompletableFuture<EmbeddedDynamoDb> server = new CompletableFuture<>();
            Thread starter = new Thread(() -> {
                try {
                    server.complete(EmbeddedDynamoDb.persistentIn(data, port));
                } catch (RuntimeException | Error e) {
                    server.completeExceptionally(e);
                }
            }, "cairn-dynamodb-local-start");
            starter.setDaemon(true);
            starter.start();
            try {
                return open(settings, Optional.of(server), server,
                        "an embedded DynamoDB Local at " + endpoint + ", data in " + data, registry);
            } catch (CompletionException e) {
                if (attempt < PORT_ATTEMPTS && EmbeddedDynamoDb.isPortTaken(e.getCause())) {
                    continue; // taken between finding it and binding it
                }
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private static DynamoDbBackend open(DynamoDbSettings settings, Optional<CompletableFuture<EmbeddedDynamoDb>> server,
                                        CompletableFuture<?> started, String where, MeterRegistry registry) {
        try {
            DynamoDbStores stores = DynamoDbStores.open(settings, Optional.of(registry), started);
            TableNames tables = settings.tableNames();
            return new DynamoDbBackend(server.map(CompletableFuture::join), stores, "DynamoDB: " + where
                    + ", tables " + tables.events() + ", " + tables.views() + ", " + tables.checkpoints() + ", "
                    + tables.documents());
        } catch (RuntimeException | Error e) {
            // a server that started while the clients failed
            server.ifPresent(s -> s.thenAccept(EmbeddedDynamoDb::close));
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

    @Override
    public void close() {
        try {
            stores.close();
        } finally {
            embedded.ifPresent(EmbeddedDynamoDb::close);
        }
    }
}
