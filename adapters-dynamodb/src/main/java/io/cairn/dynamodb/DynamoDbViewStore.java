package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewStores;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The views of one view name in the shared views table: one item per stream, keyed {@code id} =
 * {@code <view>/<stream>} (spreading a view's streams over partitions), with the stream in {@code s} and the state
 * as {@link StateItems}. A put is a conditional {@code PutItem} on the stored revision ({@code attribute_not_exists}
 * when replacing 0), or the same put in a {@link DynamoDbDocumentStore}'s transaction; {@link #putEach} sends its
 * puts concurrently; a get is a consistent
 * {@code GetItem}. A view of another schema version reads as none, and
 * a first view (replacing 0) replaces it.
 * Thread-safe.
 */
final class DynamoDbViewStore<S> implements ViewStore<S> {

    static final String ID = "id";
    static final Pattern VIEW_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final DynamoDbCalls calls;
    private final String table;
    private final String view;
    private final StateCodec<S> codec;

    DynamoDbViewStore(DynamoDbCalls calls, String table, String view, StateCodec<S> codec) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
        this.view = requireNonNull(view, "view must not be null");
        this.codec = requireNonNull(codec, "codec must not be null");
        if (!VIEW_NAME.matcher(view).matches()) {
            throw new IllegalArgumentException("a view name must be 1-200 characters of [A-Za-z0-9._-], was '"
                    + view + "'");
        }
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        Map<String, AttributeValue> item = calls.getItem(GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(key(stream)).build()).item();
        return StateItems.snapshot(stream, item, codec);
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        try {
            calls.putItem(conditionalPut(view, replacing));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * {@inheritDoc} Each write is {@link #put}'s conditional {@code PutItem}, {@link DynamoDbStores#CONCURRENT_WRITES}
     * at a time beside the calling thread's; all are checked before the first is sent.
     */
    @Override
    public List<Boolean> putEach(List<ViewWrite<S>> writes) {
        ViewStores.checkDistinctStreams(writes);
        List<Put> puts = new ArrayList<>(writes.size());
        for (ViewWrite<S> write : writes) {
            puts.add(conditionalPut(write.view(), write.replacing()));
        }
        return puts.isEmpty() ? List.of() : calls.putEach(puts);
    }

    /**
     * The put that writes {@code view} only if the stored one is at {@code replacing}: what {@link #put} sends as a
     * {@code PutItem}, and what a transaction that writes views with other items includes.
     *
     * @throws IllegalArgumentException when {@code replacing >= view.revision()} or {@code replacing < 0}
     */
    Put conditionalPut(Snapshot<S> view, long replacing) {
        requireNonNull(view, "view must not be null");
        ViewStores.checkReplacing(view, replacing);
        Map<String, AttributeValue> item = new HashMap<>(StateItems.attributes(view, codec));
        item.putAll(key(view.stream()));
        item.put(CommitItems.STREAM, AttributeValue.fromS(view.stream().value()));
        Put.Builder put = Put.builder().tableName(table).item(item);
        AttributeValue version = CommitItems.number(codec.schemaVersion());
        // a view of another schema version reads as none, so it is also what a first view (replacing 0) replaces
        if (replacing == 0) {
            put.conditionExpression("attribute_not_exists(#id) OR #sv <> :sv")
                    .expressionAttributeNames(Map.of("#id", ID, "#sv", StateItems.SCHEMA_VERSION))
                    .expressionAttributeValues(Map.of(":sv", version));
        } else {
            put.conditionExpression("#v = :replacing AND #sv = :sv")
                    .expressionAttributeNames(Map.of("#v", StateItems.REVISION, "#sv", StateItems.SCHEMA_VERSION))
                    .expressionAttributeValues(Map.of(":replacing", CommitItems.number(replacing), ":sv", version));
        }
        return put.build();
    }

    /**
     * {@inheritDoc} The views table is keyed by {@code <view>/<stream>} alone, so this is a {@code Scan} of the whole
     * table for the ids that begin with {@code <view>/} (only the keys are read), each page's matches deleted in
     * {@code BatchWriteItem}s: it reads every view of every name once.
     */
    @Override
    public void deleteAll() {
        Map<String, AttributeValue> startKey = null;
        do {
            ScanResponse page = calls.scan(ScanRequest.builder().tableName(table)
                    .filterExpression("begins_with(#id, :prefix)").projectionExpression("#id")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(view + "/")))
                    .exclusiveStartKey(startKey).build());
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (Map<String, AttributeValue> item : page.items()) {
                keys.add(Map.of(ID, item.get(ID)));
            }
            calls.deleteAll(table, keys);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
    }

    private Map<String, AttributeValue> key(StreamId stream) {
        return Map.of(ID, AttributeValue.fromS(view + "/" + stream.value()));
    }
}
