package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Every commit item of the events table, by a consistent {@code Scan} paged through {@code LastEvaluatedKey}: the
 * rebuild of a {@link DynamoDbStreamsChannel} subscription that cannot rely on the stream alone. Snapshot items are
 * skipped. Commits come in the table's hash order, not per stream.
 */
final class TableScan {

    static final int PAGE_SIZE = 500;

    private final DynamoDbCalls calls;
    private final String table;

    TableScan(DynamoDbCalls calls, String table) {
        this.calls = requireNonNull(calls, "calls must not be null");
        this.table = requireNonNull(table, "table must not be null");
    }

    /**
     * Delivers each commit item after {@code after} (from the start when empty), each with a scanning checkpoint
     * naming it.
     *
     * @return false when stopped (by {@code running} or a delivery) before the end of the table
     */
    boolean deliverCommits(String label, Instant startedAt, Optional<StreamsCheckpoint.Scanning> after,
                           DynamoDbStreamsChannel.Delivery delivery, BooleanSupplier running) {
        Map<String, AttributeValue> startKey = after
                .map(s -> CommitItems.key(s.stream(), s.revision()))
                .orElse(null);
        do {
            if (!running.getAsBoolean()) {
                return false;
            }
            ScanResponse page = calls.scan(ScanRequest.builder().tableName(table).consistentRead(true)
                    .limit(PAGE_SIZE).exclusiveStartKey(startKey).build());
            for (Map<String, AttributeValue> item : page.items()) {
                if (!CommitItems.isCommit(item)) {
                    continue;
                }
                RecordedCommit commit = CommitItems.toCommit(item);
                if (!delivery.deliver(commit,
                        new StreamsCheckpoint.Scanning(label, startedAt, commit.stream(), commit.revision()))) {
                    return false;
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return true;
    }
}
