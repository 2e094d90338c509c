package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * Checkpoints in their own table: one item per projection, partition key {@code p} (the projection's name), the
 * checkpoint's value in {@code cp} (S). Saved with an unconditional {@code PutItem} (or, by a
 * {@link DynamoDbDocumentStore}, the same put in the transaction of what the projection wrote), loaded with a
 * consistent {@code GetItem}. Thread-safe.
 */
final class DynamoDbCheckpointStore implements CheckpointStore {

    static final String PROJECTION = "p";
    static final String CHECKPOINT = "cp";
    private static final int MAX_NAME_BYTES = 1024;

    private final DynamoDbCalls calls;
    private final String table;

    DynamoDbCheckpointStore(DynamoDbCalls calls, String table) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
    }

    @Override
    public Optional<Checkpoint> load(String projection) {
        Map<String, AttributeValue> item = calls.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(key(projection)).build()).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Checkpoint(CommitItems.string(item, CHECKPOINT)));
    }

    @Override
    public void save(String projection, Checkpoint checkpoint) {
        calls.putItem(put(projection, checkpoint));
    }

    @Override
    public void delete(String projection) {
        calls.deleteItem(DeleteItemRequest.builder().tableName(table).key(key(projection)).build());
    }

    /**
     * The unconditional put that saves {@code checkpoint}: what {@link #save} sends as a {@code PutItem}, and what a
     * transaction that saves the checkpoint with what the projection wrote includes.
     *
     * @throws IllegalArgumentException when {@code projection} is empty or too long
     */
    Put put(String projection, Checkpoint checkpoint) {
        requireNonNull(checkpoint, "checkpoint must not be null");
        Map<String, AttributeValue> item = Map.of(PROJECTION, key(projection).get(PROJECTION),
                CHECKPOINT, AttributeValue.fromS(checkpoint.value()));
        return Put.builder().tableName(table).item(item).build();
    }

    private static Map<String, AttributeValue> key(String projection) {
        requireNonNull(projection, "projection must not be null");
        if (projection.isEmpty()) {
            throw new IllegalArgumentException("projection must not be empty");
        }
        if (projection.length() > MAX_NAME_BYTES / 4) {
            throw new IllegalArgumentException("projection name must be at most " + MAX_NAME_BYTES / 4
                    + " characters, was " + projection.length());
        }
        return Map.of(PROJECTION, AttributeValue.fromS(projection));
    }
}
