package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What {@link DynamoDbStreamsChannel} needs of a change stream: its shards and their records. The seam between the
 * channel's logic (shard order, checkpoints, rebuilds) and the DynamoDB Streams API ({@link DynamoDbShardSource}).
 * Implementations are used by one thread at a time.
 */
interface ShardSource {

    /** The stream as it is now. */
    StreamState describe();

    /**
     * The next records of {@code shardId} after {@code afterSequenceNumber} (empty: from the oldest record retained).
     *
     * @throws StreamTrimmedException when records after that point are no longer retained, or the shard is gone
     */
    Batch read(String shardId, Optional<String> afterSequenceNumber);

    /**
     * @param label            identifies this stream; a stream disabled and enabled again has another
     * @param holdsWholeTable  true when the stream has retained every change since the table was created, so that
     *                         reading it from its oldest records sees every item
     * @param shards           the shards retained, parents before or after children in any order
     */
    record StreamState(String label, boolean holdsWholeTable, List<Shard> shards) {
        public StreamState {
            requireNonNull(label, "label must not be null");
            shards = List.copyOf(shards);
        }
    }

    /** A shard and the shard it was split from, when that one is known. */
    record Shard(String id, Optional<String> parentId) {
        public Shard {
            requireNonNull(id, "id must not be null");
            requireNonNull(parentId, "parentId must not be null");
        }
    }

    /**
     * @param records    in the shard's order
     * @param shardEnded true when the shard is closed and these were its last records
     */
    record Batch(List<Change> records, boolean shardEnded) {
        public Batch {
            records = List.copyOf(records);
        }
    }

    /**
     * One change record.
     *
     * @param sequenceNumber its position in the shard
     * @param insertedItem   the new item when the change inserted one; empty for modifications and removals
     */
    record Change(String sequenceNumber, Optional<Map<String, AttributeValue>> insertedItem) {
        public Change {
            requireNonNull(sequenceNumber, "sequenceNumber must not be null");
            requireNonNull(insertedItem, "insertedItem must not be null");
        }
    }

    /** The records wanted are no longer retained: the reader must rebuild from the table. */
    final class StreamTrimmedException extends RuntimeException {
        StreamTrimmedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
