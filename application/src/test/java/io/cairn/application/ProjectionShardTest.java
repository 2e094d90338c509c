package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.application.projection.Delivery;
import io.cairn.application.projection.GlobalPositionGate;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionListener;
import io.cairn.application.projection.ProjectionShard;
import io.cairn.application.projection.StreamRevisionGate;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gate and the batches of one projection consumer, driven by hand as the ring would drive it: in global order
 * (the in-memory store has a global log, as PostgreSQL does) and in stream order (as on DynamoDB).
 */
class ProjectionShardTest {

    private static final Duration GAP_WAIT = Duration.ofMillis(5);

    private final Ledger ledger = new Ledger();
    private final AtomicLong clock = new AtomicLong();
    private final List<Long> released = new ArrayList<>();

    // ---- global order ----

    @Test
    void commits_are_shown_at_once_and_stored_with_the_checkpoint_at_the_end_of_the_batch() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(7));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(0), Delivery.FAST);
        shard.accept(commits.get(1), Delivery.FAST);

        assertThat(ledger.views.get(stream(commits)).orElseThrow().state().balance()).as("visible").isEqualTo(7);
        assertThat(ledger.viewStore.get(stream(commits))).as("stored before the end of the batch").isEmpty();
        assertThat(ledger.checkpoints.load("accounts-view")).isEmpty();

        shard.endOfBatch();

        assertThat(ledger.viewStore.get(stream(commits)).orElseThrow().revision()).isEqualTo(2);
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(2));
        assertThat(projection.batches()).as("one write for the batch").isEqualTo(1);
        assertThat(projection.applied()).isEqualTo(2);
    }

    @Test
    void commits_of_other_categories_move_the_position_but_make_no_view() {
        ledger.memoryStore.append(StreamId.of("order-1"), ExpectedRevision.ANY,
                Commit.of(UUID.randomUUID(), new EventData("OrderPlaced", "{}")));
        RecordedCommit order = ledger.memoryStore.readAll(1, 1).commits().get(0);
        var shard = global().shard(0, 1, Optional.empty());

        shard.accept(order, Delivery.FAST);
        shard.endOfBatch();

        assertThat(ledger.viewStore.get(StreamId.of("order-1"))).isEmpty();
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(1));
        assertThat(released).containsExactly(1L);
    }

    @Test
    void a_commit_from_both_channels_is_applied_once() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(5));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(0), Delivery.FAST);
        shard.accept(commits.get(0), durable(commits.get(0)));
        shard.accept(commits.get(1), Delivery.FAST);
        shard.accept(commits.get(1), Delivery.FAST);
        shard.accept(commits.get(1), durable(commits.get(1)));
        shard.endOfBatch();

        assertThat(projection.applied()).isEqualTo(2);
        assertThat(projection.duplicates()).isEqualTo(3);
        assertThat(released).containsExactly(1L, 2L);
        assertThat(ledger.viewStore.get(stream(commits)).orElseThrow().state().balance()).isEqualTo(5);
    }

    @Test
    void a_fast_commit_ahead_of_its_turn_waits_and_is_released_when_the_missing_one_arrives_without_a_store_read() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(2), Delivery.FAST);
        shard.accept(commits.get(1), Delivery.FAST);
        assertThat(shard.held()).isEqualTo(2);
        assertThat(released).isEmpty();

        shard.accept(commits.get(0), Delivery.FAST);

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(shard.held()).isZero();
        assertThat(projection.gapWaits()).isEqualTo(1);
        assertThat(projection.gapCommitsRead()).isZero();
        assertThat(ledger.views.get(stream(commits)).orElseThrow().state().balance()).isEqualTo(3);
    }

    @Test
    void a_gap_no_channel_fills_within_the_gap_wait_is_read_from_the_global_log() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(2), Delivery.FAST); // 1 and 2 were dropped on the way
        shard.idle();
        assertThat(released).as("before the gap wait is over").isEmpty();

        clock.addAndGet(GAP_WAIT.toNanos());
        shard.idle();

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(projection.gapCommitsRead()).isEqualTo(2);
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(3));
    }

    @Test
    void a_durable_commit_never_waits_the_commits_before_it_are_read_at_once() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(2), durable(commits.get(2)));

        assertThat(released).containsExactly(1L, 2L, 3L);
        assertThat(shard.held()).isZero();
        assertThat(projection.gapWaits()).isZero();
    }

    @Test
    void a_resumed_shard_drops_what_its_checkpoint_covers() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        ledger.putViewAt(commits.get(0).stream().idWithinCategory(), 2);
        var projection = global();
        var shard = projection.shard(0, 1, Optional.of(Checkpoint.atPosition(2)));

        commits.forEach(commit -> shard.accept(commit, durable(commit)));
        shard.endOfBatch();

        assertThat(projection.duplicates()).isEqualTo(2);
        assertThat(projection.applied()).isEqualTo(1);
        assertThat(ledger.viewStore.get(stream(commits)).orElseThrow().state().balance()).isEqualTo(3);
    }

    @Test
    void a_view_behind_the_position_is_caught_up_from_its_stream() {
        // e.g. views dropped for a new state schema while the checkpoint stays: the next commit rebuilds its view
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.of(Checkpoint.atPosition(2)));

        shard.accept(commits.get(2), Delivery.FAST);
        shard.endOfBatch();

        Snapshot<AccountState> view = ledger.viewStore.get(stream(commits)).orElseThrow();
        assertThat(view.revision()).isEqualTo(3);
        assertThat(view.state().balance()).isEqualTo(3);
        assertThat(projection.gapCommitsRead()).isEqualTo(2);
    }

    @Test
    void a_store_outage_during_the_write_is_waited_out_and_the_checkpoint_moves_only_with_the_views() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0));
        FailingViews failing = new FailingViews(ledger.viewStore, 2);
        CachingViewStore<AccountState> views = CachingViewStore.over(failing, 100);
        var projection = Projection.builder("accounts-view", ledger.accounts, ledger.codec, ledger.memoryStore, views,
                ledger.checkpoints).globalLog(Optional.of(ledger.memoryStore)).retryBackoff(Duration.ofMillis(1))
                .build();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(0), durable(commits.get(0)));
        shard.endOfBatch();

        assertThat(failing.failures.get()).isEqualTo(2);
        assertThat(projection.storeRetries()).isEqualTo(2);
        assertThat(ledger.viewStore.get(stream(commits))).map(Snapshot::revision).contains(1L);
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(1));
    }

    @Test
    void a_view_moved_by_another_projector_meanwhile_is_reread_not_overwritten() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(5));
        var projection = global();
        var shard = projection.shard(0, 1, Optional.empty());
        shard.accept(commits.get(0), Delivery.FAST);
        shard.endOfBatch();
        // another process's projector moves the stored view on; our cache still holds revision 1
        Snapshot<AccountState> one = ledger.viewStore.get(stream(commits)).orElseThrow();
        assertThat(ledger.viewStore.put(new Replayer<>(ledger.accounts, ledger.codec).apply(one, commits.get(1)), 1))
                .isTrue();

        shard.accept(commits.get(1), Delivery.FAST);
        shard.endOfBatch();

        assertThat(projection.viewConflicts()).isEqualTo(1);
        assertThat(ledger.viewStore.get(stream(commits)).orElseThrow().state().balance()).isEqualTo(5);
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(2));
    }

    @Test
    void in_a_batch_of_several_streams_only_the_view_that_moved_under_it_is_reread_and_the_others_are_written_once() {
        List<RecordedCommit> moved = account(new AccountOpened("Ada", "EUR", 0), new Deposited(5));
        List<RecordedCommit> b = account(new AccountOpened("Bob", "EUR", 0));
        List<RecordedCommit> c = account(new AccountOpened("Cy", "EUR", 0));
        CountingViews counting = new CountingViews(ledger.viewStore);
        CachingViewStore<AccountState> views = CachingViewStore.over(counting, 100);
        var projection = Projection.builder("accounts-view", ledger.accounts, ledger.codec, ledger.memoryStore, views,
                ledger.checkpoints).globalLog(Optional.of(ledger.memoryStore)).build();
        var shard = projection.shard(0, 1, Optional.empty());
        shard.accept(moved.get(0), durable(moved.get(0)));
        shard.endOfBatch();
        Snapshot<AccountState> one = ledger.viewStore.get(stream(moved)).orElseThrow();
        assertThat(ledger.viewStore.put(new Replayer<>(ledger.accounts, ledger.codec).apply(one, moved.get(1)), 1))
                .isTrue();
        counting.puts.clear();
        counting.batches.set(0);

        shard.accept(moved.get(1), durable(moved.get(1)));
        shard.accept(b.get(0), durable(b.get(0)));
        shard.accept(c.get(0), durable(c.get(0)));
        shard.endOfBatch();

        assertThat(projection.viewConflicts()).isEqualTo(1);
        assertThat(counting.puts).as("puts per stream").containsExactlyInAnyOrderEntriesOf(Map.of(
                stream(moved), 1, stream(b), 1, stream(c), 1));
        assertThat(counting.batches.get()).as("one putEach for the batch: the moved view is found stored").isEqualTo(1);
        assertThat(ledger.viewStore.get(stream(moved)).orElseThrow().state().balance()).isEqualTo(5);
        assertThat(ledger.viewStore.get(stream(b)).orElseThrow().revision()).isEqualTo(1);
        assertThat(ledger.viewStore.get(stream(c)).orElseThrow().revision()).isEqualTo(1);
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(4));
    }

    @Test
    void a_store_failing_in_the_middle_of_a_batch_is_waited_out_and_every_view_is_stored_once() {
        List<RecordedCommit> a = account(new AccountOpened("Ada", "EUR", 0));
        List<RecordedCommit> b = account(new AccountOpened("Bob", "EUR", 0));
        List<RecordedCommit> c = account(new AccountOpened("Cy", "EUR", 0));
        FailingViews failing = new FailingViews(ledger.viewStore, 1, 1); // the batch's second put fails once
        CachingViewStore<AccountState> views = CachingViewStore.over(failing, 100);
        var projection = Projection.builder("accounts-view", ledger.accounts, ledger.codec, ledger.memoryStore, views,
                ledger.checkpoints).globalLog(Optional.of(ledger.memoryStore)).retryBackoff(Duration.ofMillis(1))
                .build();
        var shard = projection.shard(0, 1, Optional.empty());

        for (RecordedCommit commit : List.of(a.get(0), b.get(0), c.get(0))) {
            shard.accept(commit, durable(commit));
        }
        shard.endOfBatch();

        assertThat(failing.failures.get()).isEqualTo(1);
        assertThat(projection.storeRetries()).isEqualTo(1);
        for (List<RecordedCommit> commits : List.of(a, b, c)) {
            assertThat(ledger.viewStore.get(stream(commits))).map(Snapshot::revision).contains(1L);
        }
        assertThat(ledger.checkpoints.load("accounts-view")).contains(Checkpoint.atPosition(3));
        assertThat(projection.failure()).isNull();
    }

    @Test
    void on_a_transactional_store_views_and_checkpoint_are_one_write_per_batch() {
        List<RecordedCommit> a = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1));
        List<RecordedCommit> b = account(new AccountOpened("Bob", "EUR", 0));
        AtomicTables tables = new AtomicTables();
        CachingViewStore<AccountState> views = CachingViewStore.over(tables, 100);
        var projection = Projection.builder("accounts-view", ledger.accounts, ledger.codec, ledger.memoryStore, views,
                tables.checkpoints()).globalLog(Optional.of(ledger.memoryStore)).build();
        var shard = projection.shard(0, 1, Optional.empty());

        for (RecordedCommit commit : List.of(a.get(0), a.get(1), b.get(0))) {
            shard.accept(commit, durable(commit));
        }
        shard.endOfBatch();

        assertThat(tables.transactions.get()).isEqualTo(1);
        assertThat(tables.writesInLastTransaction.get()).as("one write per stream").isEqualTo(2);
        assertThat(tables.separateCheckpointSaves.get()).isZero();
        assertThat(tables.checkpoints().load("accounts-view")).contains(Checkpoint.atPosition(3));
    }

    @Test
    void listeners_hear_of_each_commit_when_visible_and_again_when_stored() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1));
        var projection = global();
        List<String> heard = new ArrayList<>();
        projection.addListener(new ProjectionListener() {
            @Override
            public void visible(RecordedCommit commit, long nanoTime) {
                heard.add("visible " + commit.revision());
            }

            @Override
            public void stored(List<RecordedCommit> stored, long nanoTime) {
                stored.forEach(commit -> heard.add("stored " + commit.revision()));
            }
        });
        var shard = projection.shard(0, 1, Optional.empty());

        commits.forEach(commit -> shard.accept(commit, Delivery.FAST));
        shard.endOfBatch();

        assertThat(heard).containsExactly("visible 1", "visible 2", "stored 1", "stored 2");
    }

    // ---- stream order ----

    @Test
    void in_stream_order_commits_arriving_out_of_order_are_applied_in_revision_order() {
        List<RecordedCommit> commits = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1), new Deposited(2));
        var projection = byStream();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(commits.get(2), Delivery.FAST);
        shard.accept(commits.get(1), Delivery.FAST);
        shard.accept(commits.get(0), Delivery.FAST);
        shard.endOfBatch();

        Snapshot<AccountState> view = ledger.viewStore.get(stream(commits)).orElseThrow();
        assertThat(view.revision()).isEqualTo(3);
        assertThat(view.recentCommitIds()).containsExactly(
                commits.get(0).commitId(), commits.get(1).commitId(), commits.get(2).commitId());
        assertThat(projection.gapCommitsRead()).isZero();
        assertThat(released).as("revisions released").containsExactly(1L, 2L, 3L);
    }

    @Test
    void in_stream_order_a_durable_gap_is_read_from_the_stream_at_once_and_a_fast_one_after_the_wait() {
        List<RecordedCommit> a = account(new AccountOpened("Ada", "EUR", 0), new Deposited(1));
        List<RecordedCommit> b = account(new AccountOpened("Bob", "EUR", 0), new Deposited(2));
        var projection = byStream();
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(a.get(1), Delivery.durable(new Checkpoint("shard-a:2")));
        assertThat(ledger.views.get(stream(a)).orElseThrow().revision()).isEqualTo(2);

        shard.accept(b.get(1), Delivery.FAST);
        assertThat(shard.held()).isEqualTo(1);
        clock.addAndGet(GAP_WAIT.toNanos());
        shard.idle();

        assertThat(ledger.viewStore.get(stream(b)).orElseThrow().state().balance()).isEqualTo(2);
        assertThat(projection.gapCommitsRead()).isEqualTo(2);
        assertThat(projection.gapWaits()).isEqualTo(1);
    }

    @Test
    void in_stream_order_each_shard_projects_only_its_streams_and_the_keeper_saves_the_durable_checkpoint() {
        var projection = byStream();
        var first = projection.shard(0, 2, Optional.empty());
        var second = projection.shard(1, 2, Optional.empty());
        var keeper = projection.checkpointKeeper();
        List<RecordedCommit> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.addAll(account(new AccountOpened("Ada", "EUR", 0)));
        }
        int n = 0;
        for (RecordedCommit commit : all) {
            Delivery delivery = Delivery.durable(new Checkpoint("delivery-" + (++n)));
            first.accept(commit, delivery);
            second.accept(commit, delivery);
            keeper.accept(delivery);
        }
        first.endOfBatch();
        second.endOfBatch();
        keeper.endOfBatch();

        assertThat(projection.applied()).isEqualTo(20);
        assertThat(projection.duplicates()).isZero();
        assertThat(all).allSatisfy(commit -> assertThat(ledger.viewStore.get(commit.stream())).isPresent());
        assertThat(first.owns(all.get(0))).isNotEqualTo(second.owns(all.get(0)));
        assertThat(ledger.checkpoints.load("accounts-view")).contains(new Checkpoint("delivery-20"));
        assertThat(projection.savedCheckpoint()).contains(new Checkpoint("delivery-20"));
    }

    @Test
    void each_order_has_a_gate_class_of_its_own() {
        assertThat(global().shard(0, 1, Optional.empty())).isInstanceOf(GlobalPositionGate.class);
        assertThat(byStream().shard(1, 2, Optional.empty())).isInstanceOf(StreamRevisionGate.class);
        assertThatThrownBy(() -> global().shard(0, 2, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> global().checkpointKeeper()).isInstanceOf(IllegalStateException.class);
    }

    // ---- fixtures ----

    private Projection<AccountEvent, AccountState> global() {
        return listened(ledger.projection(clock::get).gapWait(GAP_WAIT).build(), true);
    }

    private Projection<AccountEvent, AccountState> byStream() {
        return listened(ledger.projection(clock::get).globalLog(Optional.empty()).gapWait(GAP_WAIT).build(), false);
    }

    private Projection<AccountEvent, AccountState> listened(Projection<AccountEvent, AccountState> projection,
                                                           boolean positions) {
        projection.follow((commit, checkpoint) ->
                released.add(positions ? commit.position().getAsLong() : commit.revision()));
        return projection;
    }

    /** A new account's commits, one per event, as stored. */
    private List<RecordedCommit> account(AccountEvent... events) {
        String id = Ledger.newAccountId();
        for (AccountEvent event : events) {
            ledger.appendDirectly(id, event);
        }
        return ledger.memoryStore.read(ledger.streamOf(id), 1, events.length).commits();
    }

    private static StreamId stream(List<RecordedCommit> commits) {
        return commits.get(0).stream();
    }

    private static Delivery durable(RecordedCommit commit) {
        return Delivery.durable(Checkpoint.atPosition(commit.position().getAsLong()));
    }

    /** A view store whose first writes (after some that pass) fail as an unreachable store would. */
    private static final class FailingViews implements ViewStore<AccountState> {
        final ViewStore<AccountState> delegate;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger passed = new AtomicInteger();
        final int passFirst;
        final int failFirst;

        FailingViews(ViewStore<AccountState> delegate, int failFirst) {
            this(delegate, 0, failFirst);
        }

        FailingViews(ViewStore<AccountState> delegate, int passFirst, int failFirst) {
            this.delegate = delegate;
            this.passFirst = passFirst;
            this.failFirst = failFirst;
        }

        @Override
        public Optional<Snapshot<AccountState>> get(StreamId stream) {
            return delegate.get(stream);
        }

        @Override
        public boolean put(Snapshot<AccountState> view, long replacing) {
            if (passed.get() < passFirst) {
                passed.incrementAndGet();
                return delegate.put(view, replacing);
            }
            if (failures.get() < failFirst) {
                failures.incrementAndGet();
                throw new StoreUnavailableException("view store down", null);
            }
            return delegate.put(view, replacing);
        }

        @Override
        public void deleteAll() {
            delegate.deleteAll();
        }
    }

    /** Counts the puts per stream that reach the store behind, and the {@code putEach} calls. */
    private static final class CountingViews implements ViewStore<AccountState> {
        final ViewStore<AccountState> delegate;
        final Map<StreamId, Integer> puts = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicInteger batches = new AtomicInteger();

        CountingViews(ViewStore<AccountState> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Snapshot<AccountState>> get(StreamId stream) {
            return delegate.get(stream);
        }

        @Override
        public boolean put(Snapshot<AccountState> view, long replacing) {
            puts.merge(view.stream(), 1, Integer::sum);
            return delegate.put(view, replacing);
        }

        @Override
        public List<Boolean> putEach(List<ViewWrite<AccountState>> writes) {
            batches.incrementAndGet();
            return ViewStore.super.putEach(writes);
        }

        @Override
        public void deleteAll() {
            delegate.deleteAll();
        }
    }

    /** Views and checkpoints under one lock: a transaction is all of its writes or none. */
    private static final class AtomicTables implements TransactionalViewStore<AccountState> {
        final InMemoryViewStore<AccountState> views = new InMemoryViewStore<>();
        final InMemoryCheckpointStore checkpointTable = new InMemoryCheckpointStore();
        final AtomicInteger transactions = new AtomicInteger();
        final AtomicInteger writesInLastTransaction = new AtomicInteger();
        final AtomicInteger separateCheckpointSaves = new AtomicInteger();

        @Override
        public synchronized Optional<Snapshot<AccountState>> get(StreamId stream) {
            return views.get(stream);
        }

        @Override
        public synchronized boolean put(Snapshot<AccountState> view, long replacing) {
            return views.put(view, replacing);
        }

        @Override
        public synchronized void deleteAll() {
            views.deleteAll();
        }

        @Override
        public synchronized boolean putAll(List<ViewWrite<AccountState>> writes, String projection,
                                           Checkpoint checkpoint) {
            for (ViewWrite<AccountState> write : writes) {
                if (views.get(write.view().stream()).map(Snapshot::revision).orElse(0L) != write.replacing()) {
                    return false;
                }
            }
            writes.forEach(write -> views.put(write.view(), write.replacing()));
            checkpointTable.save(projection, checkpoint);
            transactions.incrementAndGet();
            writesInLastTransaction.set(writes.size());
            return true;
        }

        @Override
        public CheckpointStore checkpoints() {
            return new CheckpointStore() {
                @Override
                public Optional<Checkpoint> load(String projection) {
                    return checkpointTable.load(projection);
                }

                @Override
                public void save(String projection, Checkpoint checkpoint) {
                    separateCheckpointSaves.incrementAndGet();
                    checkpointTable.save(projection, checkpoint);
                }

                @Override
                public void delete(String projection) {
                    checkpointTable.delete(projection);
                }
            };
        }
    }
}
