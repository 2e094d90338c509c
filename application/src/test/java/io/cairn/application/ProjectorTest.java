package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.NotificationChannel;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.Subscription;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.account.AccountCommand;
import io.cairn.domain.account.AccountCommand.Deposit;
import io.cairn.domain.account.AccountCommand.OpenAccount;
import io.cairn.domain.account.AccountEvent;
import io.cairn.domain.account.AccountEvent.AccountOpened;
import io.cairn.domain.account.AccountEvent.Deposited;
import io.cairn.domain.account.AccountState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Ledger ledger = new Ledger();
    private Projector<?, AccountState> projector;

    @AfterEach
    void stopProjector() {
        if (projector != null) {
            projector.stop();
        }
    }

    @Test
    void commits_become_views_and_the_checkpoint_covers_them_after_they_are_applied() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(7));
        projector = ledger.projector();

        projector.start();

        awaitView(id, 2);
        assertThat(view(id).state().balance()).isEqualTo(7);
        Eventually.within(WAIT, "checkpoint at 2", () -> ledger.checkpoints.load("accounts-view")
                .map(c -> c.position() == 2).orElse(false));
    }

    @Test
    void commits_of_other_categories_are_passed_over() {
        ledger.memoryStore.append(StreamId.of("order-1"), io.cairn.domain.ExpectedRevision.ANY,
                io.cairn.domain.Commit.of(UUID.randomUUID(), new io.cairn.domain.EventData("OrderPlaced", "{}")));
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        projector = ledger.projector();

        projector.start();

        awaitView(id, 1);
        assertThat(ledger.viewStore.get(StreamId.of("order-1"))).isEmpty();
    }

    @Test
    void a_commit_delivered_by_both_channels_is_applied_once() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(5));
        var p = ledger.projector();
        List<RecordedCommit> commits = ledger.memoryStore.read(ledger.streamOf(id), 1, 10).commits();

        p.onFast(commits.get(0));
        p.onDurable(commits.get(0), Checkpoint.atPosition(commits.get(0).position().getAsLong()));
        p.onFast(commits.get(1));
        p.onFast(commits.get(1));
        p.onDurable(commits.get(1), Checkpoint.atPosition(commits.get(1).position().getAsLong()));

        assertThat(p.applied()).isEqualTo(2);
        assertThat(p.duplicates()).isEqualTo(3);
        assertThat(view(id).state().balance()).isEqualTo(5);
    }

    @Test
    void commits_arriving_out_of_order_are_applied_in_revision_order() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(1));
        ledger.appendDirectly(id, new Deposited(2));
        var p = ledger.projector();
        List<RecordedCommit> commits = ledger.memoryStore.read(ledger.streamOf(id), 1, 10).commits();

        p.onFast(commits.get(2)); // revision 3 first: a gap, so 1 and 2 are read from the store
        p.onFast(commits.get(0));
        p.onFast(commits.get(1));

        Snapshot<AccountState> view = view(id);
        assertThat(view.revision()).isEqualTo(3);
        assertThat(view.state().balance()).isEqualTo(3);
        assertThat(view.recentCommitIds()).containsExactly(
                commits.get(0).commitId(), commits.get(1).commitId(), commits.get(2).commitId());
        assertThat(p.gapCommitsRead()).isEqualTo(2);
        assertThat(p.applied()).isEqualTo(3);
        assertThat(p.duplicates()).isEqualTo(2);
    }

    @Test
    void a_restarted_projector_resumes_from_its_checkpoint_without_loss_or_double_application() {
        String id = Ledger.newAccountId();
        var h = ledger.handler();
        h.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        projector = ledger.projector();
        projector.start();
        for (int i = 0; i < 50; i++) {
            h.handle(id, UUID.randomUUID(), new Deposit(1));
        }
        awaitView(id, 51);
        awaitCheckpoint(51);
        projector.stop();

        for (int i = 0; i < 50; i++) {   // written while no projector runs
            h.handle(id, UUID.randomUUID(), new Deposit(1));
        }
        assertThat(view(id).revision()).isEqualTo(51);
        projector = ledger.projector();
        projector.start();

        awaitView(id, 101);
        awaitCheckpoint(101);
        assertThat(view(id).state().balance()).isEqualTo(100);
        assertThat(projector.applied()).as("applied after the restart").isEqualTo(50);
        assertThat(projector.duplicates()).as("nothing before the checkpoint was delivered again").isZero();
    }

    @Test
    void under_concurrent_commands_with_a_fast_channel_that_drops_views_converge_and_each_commit_is_applied_once()
            throws Exception {
        DroppingFastChannel lossy = new DroppingFastChannel(0.3); // loses 30% of the hints, at random
        CommandHandler<AccountCommand, AccountEvent, AccountState> h = CommandHandler
                .builder(ledger.accounts, ledger.codec, ledger.store).views(ledger.views).fastChannel(lossy)
                .retryPolicy(new RetryPolicy(1_000, Duration.ofMillis(1), Duration.ofMillis(5))).build();
        List<String> ids = List.of(Ledger.newAccountId(), Ledger.newAccountId(), Ledger.newAccountId());
        for (String id : ids) {
            h.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        }
        projector = new Projector<>("accounts-view", ledger.accounts, ledger.codec, ledger.memoryStore, ledger.views,
                ledger.checkpoints, NotificationChannel.of(ledger.durableChannel, lossy));
        projector.start();
        int threads = 6;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    h.handle(ids.get((seed + i) % ids.size()), UUID.randomUUID(), new Deposit(1));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        long total = 0;
        for (String id : ids) {
            long revision = ledger.memoryStore.revision(ledger.streamOf(id));
            awaitView(id, revision);
            assertThat(view(id).state().balance()).isEqualTo(revision - 1);
            total += revision;
        }
        long commits = total;
        Eventually.within(WAIT, "checkpoint at the last commit",
                () -> ledger.checkpoints.load("accounts-view").map(c -> c.position() == commits).orElse(false));
        assertThat(total).isEqualTo(ids.size() + (long) threads * perThread);
        assertThat(projector.applied()).as("every commit applied exactly once").isEqualTo(total);
        assertThat(lossy.dropped()).as("hints dropped on the way").isPositive();
    }

    @Test
    void the_checkpoint_does_not_move_past_a_commit_whose_view_write_failed() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        RecordedCommit commit = ledger.memoryStore.read(ledger.streamOf(id), 1, 1).commits().get(0);
        FailingOnce<AccountState> flaky = new FailingOnce<>(ledger.viewStore);
        var p = new Projector<>("flaky", ledger.accounts, ledger.codec, ledger.memoryStore, flaky, ledger.checkpoints,
                NotificationChannel.of(ledger.durableChannel, ledger.fastChannel));
        Checkpoint at = Checkpoint.atPosition(commit.position().getAsLong());

        assertThatThrownBy(() -> p.onDurable(commit, at)).isInstanceOf(StoreUnavailableException.class);
        assertThat(ledger.checkpoints.load("flaky")).as("checkpoint after the failed write").isEmpty();

        p.onDurable(commit, at); // the channel delivers it again

        assertThat(ledger.checkpoints.load("flaky")).contains(at);
        assertThat(view(id).revision()).isEqualTo(1);
    }

    @Test
    void a_projector_that_cannot_subscribe_leaves_nothing_running_and_can_start_again() {
        ledger.checkpoints.save("accounts-view", new Checkpoint("{\"shard-1\":\"42\"}")); // not a position
        projector = ledger.projector();

        assertThatThrownBy(projector::start).isInstanceOf(IllegalArgumentException.class);

        ledger.checkpoints.save("accounts-view", Checkpoint.atPosition(0));
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        projector.start();
        awaitView(id, 1);
    }

    /** A fast channel that loses a share of what is published to it, as a full ring or a crash would. */
    private static final class DroppingFastChannel implements FastChannel {
        private final InProcessFastChannel delegate = new InProcessFastChannel();
        private final double share;
        private final AtomicLong dropped = new AtomicLong();

        DroppingFastChannel(double share) {
            this.share = share;
        }

        @Override
        public void publish(RecordedCommit commit) {
            if (ThreadLocalRandom.current().nextDouble() < share) {
                dropped.incrementAndGet();
                return;
            }
            delegate.publish(commit);
        }

        @Override
        public Subscription listen(Consumer<RecordedCommit> listener) {
            return delegate.listen(listener);
        }

        long dropped() {
            return dropped.get();
        }
    }

    /** A view store whose first write fails as an unreachable store would. */
    private static final class FailingOnce<S> implements ViewStore<S> {
        private final ViewStore<S> delegate;
        private boolean failed;

        FailingOnce(ViewStore<S> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Snapshot<S>> get(StreamId stream) {
            return delegate.get(stream);
        }

        @Override
        public synchronized boolean put(Snapshot<S> view, long replacing) {
            if (!failed) {
                failed = true;
                throw new StoreUnavailableException("view store down", null);
            }
            return delegate.put(view, replacing);
        }
    }

    @Test
    void commands_see_the_projected_view_through_the_cache_and_skip_the_catch_up() {
        var h = ledger.handler();
        String id = Ledger.newAccountId();
        projector = ledger.projector();
        projector.start();
        h.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        awaitView(id, 1);
        ledger.store.reset();

        h.handle(id, UUID.randomUUID(), new Deposit(1));

        assertThat(ledger.store.reads).hasValue(0);
        assertThat(ledger.store.rejectedAppends).hasValue(0);
    }

    @Test
    void a_view_written_by_another_projector_meanwhile_is_reread_not_overwritten() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(5));
        var p = ledger.projector();
        List<RecordedCommit> commits = ledger.memoryStore.read(ledger.streamOf(id), 1, 10).commits();
        p.onFast(commits.get(0));
        // another process's projector moves the view on; our cache still holds revision 1
        Snapshot<AccountState> cached = ledger.views.get(ledger.streamOf(id)).orElseThrow();
        Snapshot<AccountState> moved = new Replayer<>(ledger.accounts, ledger.codec).apply(cached, commits.get(1));
        assertThat(ledger.viewStore.put(moved, 1)).isTrue();

        p.onFast(commits.get(1));

        assertThat(p.viewConflicts()).isEqualTo(1);
        assertThat(p.duplicates()).isEqualTo(1);
        assertThat(view(id).state().balance()).isEqualTo(5);
    }

    private void awaitCheckpoint(long position) {
        Eventually.within(WAIT, "checkpoint at " + position, () -> ledger.checkpoints.load("accounts-view")
                .map(c -> c.position() == position).orElse(false));
    }

    private void awaitView(String id, long revision) {
        Eventually.within(WAIT, "view of " + id + " at " + revision,
                () -> ledger.viewStore.get(ledger.streamOf(id)).map(v -> v.revision() >= revision).orElse(false));
    }

    private Snapshot<AccountState> view(String id) {
        return ledger.viewStore.get(ledger.streamOf(id)).orElseThrow();
    }
}
