package io.cairn.bench;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.accounts.AccountState;
import io.cairn.dynamodb.ConsumedCapacity;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.json.JacksonStateCodec;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalDouble;

/** Opens the backend a benchmark asked for. */
final class Backends {

    private Backends() {
    }

    static Backend open(Bench.Store store, Optional<URI> dynamoDbEndpoint) {
        return switch (store) {
            case MEMORY -> memory();
            case DYNAMODB -> dynamoDb(dynamoDbEndpoint);
        };
    }

    /** The in-memory stores: a baseline for the harness itself. They charge nothing. */
    static Backend memory() {
        return new Backend("memory", new InMemoryEventStore(), new InMemorySnapshotStore<>(), new InMemoryViewStore<>(),
                Backend.Units.NONE, Backend.Units.NONE, () -> { });
    }

    /**
     * Cairn's DynamoDB stores on an embedded, in-memory DynamoDB Local (or on {@code endpoint}, e.g. a DynamoDB
     * Local of your own), in tables of their own. The capacity units are those DynamoDB reports, which DynamoDB
     * Local computes as AWS does.
     */
    static Backend dynamoDb(Optional<URI> endpoint) {
        Optional<EmbeddedDynamoDb> embedded = endpoint.isPresent() ? Optional.empty()
                : Optional.of(EmbeddedDynamoDb.inMemory());
        URI uri = endpoint.orElseGet(() -> embedded.get().endpoint());
        try {
            String prefix = "bench-" + Long.toHexString(System.nanoTime()) + "-";
            DynamoDbStores stores = DynamoDbStores.open(DynamoDbSettings.local(uri).withTablePrefix(prefix),
                    Optional.empty());
            JacksonStateCodec<AccountState> codec = new JacksonStateCodec<>(AccountState.class, 1);
            ConsumedCapacity capacity = stores.consumedCapacity();
            return new Backend("DynamoDB Local", stores.eventStore(), stores.snapshotStore(codec),
                    stores.viewStore("accounts", codec),
                    purpose -> OptionalDouble.of(capacity.readUnits(purpose)),
                    purpose -> OptionalDouble.of(capacity.writeUnits(purpose)),
                    () -> {
                        try {
                            stores.close();
                        } finally {
                            embedded.ifPresent(EmbeddedDynamoDb::close);
                        }
                    });
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedDynamoDb::close);
            throw e;
        }
    }
}
