package io.cairn.bench;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.account.AccountState;
import io.cairn.dynamodb.ConsumedCapacity;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.json.JacksonStateCodec;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Cairn's DynamoDB stores on an embedded, in-memory DynamoDB Local (or on {@code endpoint}, e.g. a DynamoDB Local
 * of your own): the capacity units are those DynamoDB reports, which DynamoDB Local computes as AWS does.
 */
final class DynamoDbBackend implements Backend {

    private final Optional<EmbeddedDynamoDb> embedded;
    private final DynamoDbStores stores;
    private final ConsumedCapacity capacity;
    private final SnapshotStore<AccountState> snapshots;
    private final ViewStore<AccountState> views;

    private DynamoDbBackend(Optional<EmbeddedDynamoDb> embedded, DynamoDbStores stores) {
        this.embedded = embedded;
        this.stores = stores;
        this.capacity = stores.consumedCapacity();
        JacksonStateCodec<AccountState> codec = new JacksonStateCodec<>(AccountState.class, 1);
        this.snapshots = stores.snapshotStore(codec);
        this.views = stores.viewStore("accounts", codec);
    }

    /** @param endpoint a DynamoDB endpoint to use; empty starts an embedded DynamoDB Local in memory */
    static DynamoDbBackend open(Optional<URI> endpoint) {
        Optional<EmbeddedDynamoDb> embedded = endpoint.isPresent() ? Optional.empty()
                : Optional.of(EmbeddedDynamoDb.inMemory());
        URI uri = endpoint.orElseGet(() -> embedded.get().endpoint());
        try {
            String prefix = "bench-" + Long.toHexString(System.nanoTime()) + "-";
            return new DynamoDbBackend(embedded,
                    DynamoDbStores.open(DynamoDbSettings.local(uri).withTablePrefix(prefix), Optional.empty()));
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedDynamoDb::close);
            throw e;
        }
    }

    @Override
    public String name() {
        return "DynamoDB Local";
    }

    @Override
    public EventStore events() {
        return stores.eventStore();
    }

    @Override
    public SnapshotStore<AccountState> snapshots() {
        return snapshots;
    }

    @Override
    public ViewStore<AccountState> views() {
        return views;
    }

    @Override
    public OptionalDouble readUnits(Purpose purpose) {
        return OptionalDouble.of(capacity.readUnits(purpose));
    }

    @Override
    public OptionalDouble writeUnits(Purpose purpose) {
        return OptionalDouble.of(capacity.writeUnits(purpose));
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
