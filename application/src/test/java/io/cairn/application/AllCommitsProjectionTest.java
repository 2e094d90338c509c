package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Snapshot;
import io.cairn.application.projection.Delivery;
import io.cairn.application.projection.GlobalPositionGate;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionShard;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.application.projection.StreamRevisionGate;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The projection of every commit, whatever its category, that the live feed follows: driven by hand as the ring
 * would drive it, in global order (a store with a global log) and in stream order (as on DynamoDB).
 */
class AllCommitsProjectionTest {

    private static final Duration GAP_WAIT = Duration.ofMillis(5);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryViewStore<RevisionOnly> revisionRows = new InMemoryViewStore<>();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final AtomicLong clock = new AtomicLong();
    private final List<RecordedCommit> released = new ArrayList<>();

    // ---- global order ----

    @Test
    void in_global_order_every_category_is_released_in_position_order_and_only_the_checkpoint_is_stored() {
        List<RecordedCommit> commits = List.of(append("order-7"), append("account-1"), append("order-7"),
                append("inventory-x"));
        Projection<Void, RevisionOnly> projection = global();
        ProjectionShard<Void, RevisionOnly> shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(1), Delivery.FAST); // ahead of its turn: held
        shard.accept(commits.get(0), Delivery.FAST);
        shard.accept(commits.get(3), Delivery.durable(Checkpoint.atPosition(4))); // reads 3 from the log
        shard.accept(commits.get(2), Delivery.FAST); // a duplicate by now
        shard.endOfBatch();

        assertThat(shard).isInstanceOf(GlobalPositionGate.class);
        assertThat(released).containsExactlyElementsOf(commits);
        assertThat(projection.duplicates()).isEqualTo(1);
        assertThat(projection.applied()).as("views moved").isZero();
        assertThat(revisionRows.get(StreamId.of("order-7"))).as("no revision rows in global order").isEmpty();
        assertThat(checkpoints.load("feed")).contains(Checkpoint.atPosition(4));
    }

    @Test
    void in_global_order_a_restart_resumes_after_the_checkpoint_without_releasing_anything_twice() {
        List<RecordedCommit> commits = List.of(append("order-1"), append("account-1"), append("order-1"));
        var first = global().shard(0, 1, Optional.empty());
        first.accept(commits.get(0), Delivery.durable(Checkpoint.atPosition(1)));
        first.accept(commits.get(1), Delivery.durable(Checkpoint.atPosition(2)));
        first.endOfBatch();

        var second = global().shard(0, 1, checkpoints.load("feed"));
        commits.forEach(commit -> second.accept(commit, Delivery.durable(Checkpoint.atPosition(
                commit.position().getAsLong()))));
        second.endOfBatch();

        assertThat(released).containsExactlyElementsOf(commits);
        assertThat(checkpoints.load("feed")).contains(Checkpoint.atPosition(3));
    }

    // ---- stream order ----

    @Test
    void in_stream_order_each_stream_of_any_category_is_released_once_in_revision_order_and_its_revision_kept() {
        RecordedCommit order1 = append("order-7");
        RecordedCommit account1 = append("account-1");
        RecordedCommit order2 = append("order-7");
        RecordedCommit order3 = append("order-7");
        Projection<Void, RevisionOnly> projection = byStream();
        ProjectionShard<Void, RevisionOnly> shard = projection.shard(0, 1, Optional.empty());

        shard.accept(order3, Delivery.FAST); // held: 1 and 2 are missing
        shard.accept(account1, Delivery.FAST);
        shard.accept(order1, Delivery.FAST);
        shard.accept(order2, Delivery.FAST);
        shard.accept(order2, Delivery.durable(new Checkpoint("shard-a:1"))); // the durable copy: dropped
        shard.endOfBatch();

        assertThat(shard).isInstanceOf(StreamRevisionGate.class);
        assertThat(released).containsExactly(account1, order1, order2, order3);
        assertThat(projection.duplicates()).isEqualTo(1);
        assertThat(projection.gapCommitsRead()).isZero();
        Snapshot<RevisionOnly> row = revisionRows.get(StreamId.of("order-7")).orElseThrow();
        assertThat(row.revision()).isEqualTo(3);
        assertThat(row.recentCommitIds()).as("a revision-only row keeps no commit ids").isEmpty();
        assertThat(revisionRows.get(StreamId.of("account-1")).orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void in_stream_order_a_stream_first_seen_past_its_start_starts_there_and_a_restart_releases_only_what_is_new() {
        RecordedCommit order1 = append("order-9");
        RecordedCommit order2 = append("order-9");
        var first = byStream().shard(0, 1, Optional.empty());
        var keeper = byStreamProjection.checkpointKeeper();
        Delivery delivery = Delivery.durable(new Checkpoint("after-2"));
        first.accept(order2, delivery); // first sight: held for the gap wait, in case an earlier one is behind it
        keeper.accept(delivery);
        first.endOfBatch();
        assertThat(released).isEmpty();
        clock.addAndGet(GAP_WAIT.toNanos());
        first.idle();
        keeper.endOfBatch();
        assertThat(released).as("the feed never replays a stream's history").containsExactly(order2);
        assertThat(checkpoints.load("feed")).contains(new Checkpoint("after-2"));

        RecordedCommit order3 = append("order-9");
        released.clear();
        // a new process: the durable channel delivers again from before the checkpoint
        var second = byStream().shard(0, 1, Optional.empty());
        for (RecordedCommit commit : List.of(order1, order2, order3)) {
            second.accept(commit, Delivery.durable(new Checkpoint("again")));
        }
        second.endOfBatch();

        assertThat(released).containsExactly(order3);
        assertThat(revisionRows.get(StreamId.of("order-9")).orElseThrow().revision()).isEqualTo(3);
        assertThat(order1.revision()).isEqualTo(1);
    }

    @Test
    void in_stream_order_an_earlier_commit_just_behind_the_first_seen_one_is_released_first() {
        RecordedCommit order1 = append("order-3");
        RecordedCommit order2 = append("order-3");
        var shard = byStream().shard(0, 1, Optional.empty());
        shard.accept(order2, Delivery.FAST);
        shard.accept(order1, Delivery.durable(new Checkpoint("c1")));
        shard.endOfBatch();

        assertThat(released).containsExactly(order1, order2);
    }

    @Test
    void in_stream_order_a_gap_in_a_stream_it_follows_is_read_from_the_stream() {
        RecordedCommit order1 = append("order-5");
        RecordedCommit order2 = append("order-5");
        RecordedCommit order3 = append("order-5");
        var shard = byStream().shard(0, 1, Optional.empty());
        shard.accept(order1, Delivery.FAST);
        shard.accept(order3, Delivery.durable(new Checkpoint("c3"))); // durable: 2 is read from the stream at once
        shard.endOfBatch();

        assertThat(released).containsExactly(order1, order2, order3);
    }

    @Test
    void in_process_revisions_store_nothing_and_a_stream_forgotten_starts_at_the_first_commit_seen() {
        RecordedCommit first = append("order-8");
        RecordedCommit second = append("order-8");
        Projection<Void, RevisionOnly> projection = listened(Projection.allCommits("feed", store,
                RevisionOnly.inProcess(1_000), checkpoints).gapWait(GAP_WAIT).clock(clock::get).build());
        var shard = projection.shard(0, 1, Optional.empty());
        shard.accept(first, Delivery.FAST);
        shard.endOfBatch();
        assertThat(released).containsExactly(first);
        assertThat(revisionRows.get(StreamId.of("order-8"))).as("nothing stored").isEmpty();

        released.clear();
        var restarted = listened(Projection.allCommits("feed", store, RevisionOnly.inProcess(1_000), checkpoints)
                .gapWait(GAP_WAIT).clock(clock::get).build()).shard(0, 1, Optional.empty());
        restarted.accept(second, Delivery.durable(new Checkpoint("c2")));
        clock.addAndGet(GAP_WAIT.toNanos());
        restarted.idle();
        assertThat(released).containsExactly(second);
    }

    @Test
    void in_stream_order_shards_split_the_streams_of_every_category() {
        Projection<Void, RevisionOnly> projection = byStream();
        var a = projection.shard(0, 2, Optional.empty());
        var b = projection.shard(1, 2, Optional.empty());
        for (int i = 0; i < 20; i++) {
            RecordedCommit commit = append((i % 2 == 0 ? "order-" : "account-") + i);
            assertThat(a.owns(commit)).isNotEqualTo(b.owns(commit));
            a.accept(commit, Delivery.FAST);
            b.accept(commit, Delivery.FAST);
        }
        a.endOfBatch();
        b.endOfBatch();

        assertThat(released).hasSize(20);
        assertThat(projection.applied()).isEqualTo(20);
    }

    // ---- the revision rows' codec ----

    @Test
    void the_revision_only_state_is_an_empty_json_object_and_nothing_else_decodes() {
        var codec = RevisionOnly.codec();
        assertThat(codec.encode(RevisionOnly.INSTANCE)).isEqualTo("{}");
        assertThat(codec.decode(" { } ")).isSameAs(RevisionOnly.INSTANCE);
        assertThatThrownBy(() -> codec.decode("{\"balance\":1}")).isInstanceOf(InvalidInputException.class);
    }

    // ---- fixtures ----

    private Projection<Void, RevisionOnly> byStreamProjection;

    private Projection<Void, RevisionOnly> global() {
        return listened(builder().globalLog(Optional.of(store)).build());
    }

    private Projection<Void, RevisionOnly> byStream() {
        byStreamProjection = listened(builder().build());
        return byStreamProjection;
    }

    private Projection.Builder<Void, RevisionOnly> builder() {
        // a fresh cache per projection: a restart starts cold
        return Projection.allCommits("feed", store, CachingViewStore.over(revisionRows, 1_000), checkpoints)
                .gapWait(GAP_WAIT).clock(clock::get);
    }

    private Projection<Void, RevisionOnly> listened(Projection<Void, RevisionOnly> projection) {
        projection.follow((commit, checkpoint) -> released.add(commit));
        return projection;
    }

    /** One commit appended to {@code stream}, as stored. */
    private RecordedCommit append(String stream) {
        StreamId id = StreamId.of(stream);
        store.append(id, ExpectedRevision.ANY, Commit.of(UUID.randomUUID(), new EventData("Happened", "{}")));
        long revision = store.revision(id);
        return store.read(id, revision, 1).commits().get(0);
    }
}
