package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Streams channel over shard graphs DynamoDB Local does not make (it never splits a shard): through the
 * {@link ShardSource} seam, with a scripted stream. Parents are read to their end before their children, sibling
 * shards deliver one stream's commits out of revision order without the channel reordering them, and checkpoints
 * resume across shards.
 */
class ShardOrderTest {

    private static final DynamoDbStores STORES = LocalDynamoDb.freshStores();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScriptedShards shards = new ScriptedShards();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void stop() {
        subscriptions.forEach(Subscription::close);
    }

    @AfterAll
    static void close() {
        STORES.close();
    }

    @Test
    void a_child_shard_is_read_only_after_its_parent_has_ended() throws InterruptedException {
        StreamId stream = aNewStream();
        // the child sorts first and already holds the later commit: only the graph says to wait
        shards.shard("a-child", Optional.of("b-parent")).shard("b-parent", Optional.empty());
        RecordedCommit first = shards.insert("b-parent", stream, 1);
        RecordedCommit third = shards.insert("a-child", stream, 3);
        Recorder recorder = subscribe(Optional.empty());
        recorder.await(1);

        TimeUnit.MILLISECONDS.sleep(200);
        assertThat(recorder.revisions()).as("delivered while the parent is open").containsExactly(1L);

        RecordedCommit second = shards.insert("b-parent", stream, 2);
        shards.close("b-parent");
        recorder.await(3);

        assertThat(recorder.commitIds()).containsExactly(first.commitId(), second.commitId(), third.commitId());
    }

    @Test
    void commits_of_one_stream_in_sibling_shards_arrive_as_the_shards_hold_them() {
        StreamId stream = aNewStream();
        shards.shard("a-left", Optional.empty()).shard("b-right", Optional.empty());
        shards.insert("a-left", stream, 2);
        shards.insert("b-right", stream, 1);
        shards.modify("b-right");
        Recorder recorder = subscribe(Optional.empty());

        recorder.await(2);

        assertThat(recorder.revisions()).as("not reordered: the projector's gate does that").containsExactly(2L, 1L);
    }

    @Test
    void a_checkpoint_resumes_after_everything_delivered_before_it_in_every_shard() {
        StreamId stream = aNewStream();
        StreamId other = aNewStream();
        shards.shard("a", Optional.empty()).shard("b", Optional.empty());
        shards.insert("a", stream, 1);
        shards.insert("b", other, 1);
        shards.insert("a", stream, 2);
        shards.insert("b", other, 2);
        Recorder first = subscribe(Optional.empty());
        first.await(4);
        subscriptions.remove(0).close();
        Checkpoint afterTwo = first.checkpoints().get(1);
        List<UUID> delivered = first.commitIds();

        Recorder second = subscribe(Optional.of(afterTwo));
        second.await(2);

        assertThat(second.commitIds()).containsExactlyInAnyOrderElementsOf(delivered.subList(2, 4));
    }

    @Test
    void a_checkpoint_whose_shard_is_gone_rebuilds_from_the_table() {
        StreamId stream = aNewStream();
        List<RecordedCommit> inTable = List.of(
                STORES.eventStore().append(stream, ExpectedRevision.ANY, anyCommit()).commit(),
                STORES.eventStore().append(stream, ExpectedRevision.ANY, anyCommit()).commit());
        shards.shard("a", Optional.empty());
        shards.insert("a", aNewStream(), 1);
        Recorder first = subscribe(Optional.empty());
        first.await(1);
        subscriptions.remove(0).close();
        shards.remove("a");
        shards.shard("c", Optional.empty());

        Recorder second = subscribe(Optional.of(first.checkpoints().get(0)));
        second.awaitAll(inTable.stream().map(RecordedCommit::commitId).toList());

        assertThat(second.commitIds()).containsAll(inTable.stream().map(RecordedCommit::commitId).toList());
    }

    private Recorder subscribe(Optional<Checkpoint> after) {
        DynamoDbStreamsChannel channel = new DynamoDbStreamsChannel(() -> shards,
                new TableScan(STORES.calls(), STORES.settings().tableNames().events()), Clock.systemUTC(),
                Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofHours(1));
        Recorder recorder = new Recorder();
        subscriptions.add(channel.subscribe(after, recorder));
        return recorder;
    }

    /** What the listener was given, in order. */
    private static final class Recorder implements DurableChannel.Listener {
        private final List<RecordedCommit> commits = new ArrayList<>();
        private final List<Checkpoint> checkpoints = new ArrayList<>();

        @Override
        public synchronized void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
            commits.add(commit);
            checkpoints.add(checkpoint);
            notifyAll();
        }

        synchronized void await(int count) {
            awaitUntil(() -> commits.size() >= count, count + " deliveries");
        }

        synchronized void awaitAll(List<UUID> ids) {
            awaitUntil(() -> commitIds().containsAll(ids), "deliveries of " + ids);
        }

        private void awaitUntil(BooleanSupplier done, String what) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("within " + WAIT + ", no " + what + "; got " + revisions());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        synchronized List<Long> revisions() {
            return commits.stream().map(RecordedCommit::revision).toList();
        }

        synchronized List<UUID> commitIds() {
            return commits.stream().map(RecordedCommit::commitId).toList();
        }

        synchronized List<Checkpoint> checkpoints() {
            return List.copyOf(checkpoints);
        }
    }
}
