package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The events table's DynamoDB Stream through the Streams API: {@code DescribeStream} (paged) for the shards,
 * {@code GetShardIterator} and {@code GetRecords} for their records. Shard iterators are kept between reads and
 * taken anew when they expire (after 15 minutes) from the last sequence number read. Used by one thread.
 */
final class DynamoDbShardSource implements ShardSource {

    /** How long DynamoDB Streams keeps a record. */
    static final Duration RETENTION = Duration.ofHours(24);
    /** A stream enabled by the request that created its table starts within this of the table's creation. */
    private static final Duration ENABLED_WITH_TABLE = Duration.ofSeconds(2);

    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final String table;
    private final Clock clock;
    private final Duration retentionMargin;
    private final Map<String, Cursor> cursors = new HashMap<>();
    private String streamArn;

    DynamoDbShardSource(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String table, Clock clock,
                        Duration retentionMargin) {
        this.dynamoDb = requireNonNull(dynamoDb, "dynamoDb must not be null");
        this.streams = requireNonNull(streams, "streams must not be null");
        this.table = requireNonNull(table, "table must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.retentionMargin = requireNonNull(retentionMargin, "retentionMargin must not be null");
    }

    @Override
    public StreamState describe() {
        TableDescription description = DynamoDbCalls.call(table, "DescribeTable",
                () -> dynamoDb.describeTable(b -> b.tableName(table))).table();
        if (description.latestStreamArn() == null) {
            throw new IllegalStateException("DynamoDB table " + table + " has no stream to follow");
        }
        if (!description.latestStreamArn().equals(streamArn)) {
            cursors.clear();
            streamArn = description.latestStreamArn();
        }
        List<Shard> shards = new ArrayList<>();
        String label = null;
        Instant created = null;
        String after = null;
        do {
            String start = after;
            DescribeStreamResponse page = DynamoDbCalls.call(table, "DescribeStream",
                    () -> streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(start)));
            StreamDescription stream = page.streamDescription();
            label = stream.streamLabel();
            created = stream.creationRequestDateTime();
            stream.shards().forEach(s -> shards.add(new Shard(s.shardId(), Optional.ofNullable(s.parentShardId()))));
            after = stream.lastEvaluatedShardId();
        } while (after != null);
        Instant tableCreated = description.creationDateTime();
        boolean enabledWithTable = created != null && tableCreated != null
                && Duration.between(tableCreated, created).abs().compareTo(ENABLED_WITH_TABLE) <= 0;
        boolean young = tableCreated != null
                && Duration.between(tableCreated, clock.instant()).compareTo(RETENTION.minus(retentionMargin)) < 0;
        return new StreamState(label, enabledWithTable && young, shards);
    }

    @Override
    public Batch read(String shardId, Optional<String> afterSequenceNumber) {
        Cursor cursor = cursors.get(shardId);
        if (cursor == null || !cursor.after().equals(afterSequenceNumber)) {
            cursor = new Cursor(iterator(shardId, afterSequenceNumber), afterSequenceNumber);
        }
        GetRecordsResponse response;
        try {
            String iterator = cursor.iterator();
            response = DynamoDbCalls.call(table, "GetRecords", () -> streams.getRecords(b -> b.shardIterator(iterator)));
        } catch (ExpiredIteratorException e) {
            String iterator = iterator(shardId, afterSequenceNumber);
            response = DynamoDbCalls.call(table, "GetRecords", () -> streams.getRecords(b -> b.shardIterator(iterator)));
        } catch (TrimmedDataAccessException e) {
            cursors.remove(shardId);
            throw trimmed(shardId, afterSequenceNumber, e);
        } catch (StoreUnavailableException e) {
            cursors.remove(shardId);
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw trimmed(shardId, afterSequenceNumber, e);
            }
            throw e;
        }
        List<Change> changes = new ArrayList<>(response.records().size());
        for (Record record : response.records()) {
            boolean insert = record.eventName() == OperationType.INSERT && record.dynamodb().hasNewImage();
            changes.add(new Change(record.dynamodb().sequenceNumber(),
                    insert ? Optional.of(record.dynamodb().newImage()) : Optional.empty()));
        }
        Optional<String> last = changes.isEmpty() ? afterSequenceNumber
                : Optional.of(changes.get(changes.size() - 1).sequenceNumber());
        if (response.nextShardIterator() == null) {
            cursors.remove(shardId);
        } else {
            cursors.put(shardId, new Cursor(response.nextShardIterator(), last));
        }
        return new Batch(changes, response.nextShardIterator() == null);
    }

    private String iterator(String shardId, Optional<String> afterSequenceNumber) {
        try {
            return DynamoDbCalls.call(table, "GetShardIterator", () -> streams.getShardIterator(b -> {
                b.streamArn(streamArn).shardId(shardId);
                afterSequenceNumber.ifPresentOrElse(
                        sequence -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(sequence),
                        () -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON));
            })).shardIterator();
        } catch (TrimmedDataAccessException e) {
            throw trimmed(shardId, afterSequenceNumber, e);
        } catch (StoreUnavailableException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw trimmed(shardId, afterSequenceNumber, e);
            }
            throw e;
        }
    }

    private static StreamTrimmedException trimmed(String shardId, Optional<String> after, Exception cause) {
        return new StreamTrimmedException("shard " + shardId + " no longer holds the records after "
                + after.orElse("its start"), cause);
    }

    private record Cursor(String iterator, Optional<String> after) {
    }
}
