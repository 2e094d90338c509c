package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Subscriptions that cannot rely on DynamoDB Streams alone, on DynamoDB Local: they rebuild from a consistent scan
 * of the table and then follow the stream, losing nothing.
 */
class DynamoDbStreamsRebuildTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void a_stream_enabled_after_commits_were_stored_is_rebuilt_from_the_table_then_followed()
            throws InterruptedException {
        try (DynamoDbStores stores = LocalDynamoDb.freshStores()) {
            String table = stores.settings().tableNames().events();
            setStream(stores, table, false);
            StreamId stream = aNewStream();
            List<RecordedCommit> before = List.of(append(stores, stream), append(stores, aNewStream()),
                    append(stores, stream));
            // long enough after the table's creation that the stream cannot have been enabled with it
            TimeUnit.MILLISECONDS.sleep(2_500);
            setStream(stores, table, true);
            Set<UUID> delivered = ConcurrentHashMap.newKeySet();

            try (Subscription ignored = stores.durableChannel().subscribe(Optional.empty(), collectInto(delivered))) {
                List<RecordedCommit> after = List.of(append(stores, stream), append(stores, aNewStream()));

                awaitAll(delivered, ids(before, after));
            }
        }
    }

    @Test
    void a_checkpoint_older_than_the_stream_retention_rebuilds_from_the_table() {
        try (DynamoDbStores stores = LocalDynamoDb.freshStores()) {
            List<RecordedCommit> stored = List.of(append(stores, aNewStream()), append(stores, aNewStream()));
            List<Checkpoint> checkpoints = new ArrayList<>();
            Set<UUID> first = ConcurrentHashMap.newKeySet();
            try (Subscription ignored = stores.durableChannel().subscribe(Optional.empty(), (commit, checkpoint) -> {
                checkpoints.add(checkpoint);
                first.add(commit.commitId());
            })) {
                awaitAll(first, ids(stored, List.of()));
            }
            // the checkpoint covers both commits, but says it was issued two days ago: its shards may be trimmed
            StreamsCheckpoint.Following last = (StreamsCheckpoint.Following) StreamsCheckpoint.parse(
                    checkpoints.get(checkpoints.size() - 1));
            Checkpoint stale = new StreamsCheckpoint.Following(last.label(),
                    Instant.now().minus(Duration.ofDays(2)), last.shards()).toCheckpoint();
            Set<UUID> redelivered = ConcurrentHashMap.newKeySet();

            try (Subscription ignored = stores.durableChannel().subscribe(Optional.of(stale), collectInto(redelivered))) {
                awaitAll(redelivered, ids(stored, List.of()));
            }
        }
    }

    @Test
    void a_checkpoint_this_channel_did_not_issue_is_refused() {
        try (DynamoDbStores stores = LocalDynamoDb.freshStores()) {
            DurableChannel channel = stores.durableChannel();

            assertThatThrownBy(() -> channel.subscribe(Optional.of(Checkpoint.atPosition(42)), (c, cp) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DynamoDB Streams");
            assertThatThrownBy(() -> channel.subscribe(Optional.of(new Checkpoint("dds1 F label 12 shard")),
                    (c, cp) -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void setStream(DynamoDbStores stores, String table, boolean enabled) {
        StreamSpecification.Builder spec = StreamSpecification.builder().streamEnabled(enabled);
        if (enabled) {
            spec.streamViewType(StreamViewType.NEW_IMAGE);
        }
        stores.calls().client().updateTable(b -> b.tableName(table).streamSpecification(spec.build()));
    }

    private static RecordedCommit append(DynamoDbStores stores, StreamId stream) {
        return stores.eventStore().append(stream, ExpectedRevision.ANY, anyCommit()).commit();
    }

    private static DurableChannel.Listener collectInto(Set<UUID> delivered) {
        return (commit, checkpoint) -> delivered.add(commit.commitId());
    }

    private static List<UUID> ids(List<RecordedCommit> first, List<RecordedCommit> second) {
        List<UUID> ids = new ArrayList<>();
        first.forEach(c -> ids.add(c.commitId()));
        second.forEach(c -> ids.add(c.commitId()));
        return ids;
    }

    private static void awaitAll(Set<UUID> delivered, List<UUID> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!delivered.containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                List<UUID> missing = new ArrayList<>(expected);
                missing.removeAll(delivered);
                throw new AssertionError("within " + WAIT + ", " + missing.size() + " of " + expected.size()
                        + " commits were not delivered");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
