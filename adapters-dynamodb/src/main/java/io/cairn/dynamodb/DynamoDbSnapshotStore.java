package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Snapshots on the sort-key-0 item of each stream in the events table ({@link StateItems}), written with
 * {@code attribute_not_exists(v) OR v < :v} so that a snapshot never goes backwards, and loaded with a consistent
 * {@code GetItem}. A snapshot of another schema version loads as none. Thread-safe.
 */
final class DynamoDbSnapshotStore<S> implements SnapshotStore<S> {

    private final DynamoDbCalls calls;
    private final String table;
    private final StateCodec<S> codec;

    DynamoDbSnapshotStore(DynamoDbCalls calls, String table, StateCodec<S> codec) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
        this.codec = requireNonNull(codec, "codec must not be null");
    }

    @Override
    public Optional<Snapshot<S>> load(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        Map<String, AttributeValue> item = calls.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(CommitItems.key(stream, CommitItems.SNAPSHOT_REVISION)).build()).item();
        return StateItems.snapshot(stream, item, codec);
    }

    @Override
    public boolean save(Snapshot<S> snapshot) {
        requireNonNull(snapshot, "snapshot must not be null");
        if (snapshot.revision() < 1) {
            throw new IllegalArgumentException("a snapshot needs revision >= 1, was " + snapshot.revision());
        }
        Map<String, AttributeValue> item = new HashMap<>(StateItems.attributes(snapshot, codec));
        item.putAll(CommitItems.key(snapshot.stream(), CommitItems.SNAPSHOT_REVISION));
        try {
            calls.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                    .expressionAttributeNames(Map.of("#v", StateItems.REVISION))
                    .expressionAttributeValues(Map.of(":v", CommitItems.number(snapshot.revision())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
