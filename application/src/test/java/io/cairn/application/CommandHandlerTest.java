package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.CommandOutcome.Accepted;
import io.cairn.application.CommandOutcome.Rejected;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {

    private final Ledger ledger = new Ledger();
    private final CommandHandler<AccountCommand, AccountEvent, AccountState> handler = ledger.handler();

    @Test
    void a_command_on_a_current_view_reads_nothing_from_the_store_and_appends_once() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Deposit(100));

        assertThat(outcome).isEqualTo(new Accepted(ledger.streamOf(id), 2, false));
        assertThat(ledger.store.reads).hasValue(0);
        assertThat(ledger.store.appends).hasValue(1);
        assertThat(ledger.views.hits()).isEqualTo(1);
    }

    @Test
    void a_second_command_before_the_projector_applied_the_first_starts_from_the_first_ones_result() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1); // no projector here: the view stays at r = 1, as it does for a moment after each append
        ledger.store.reset();

        CommandOutcome first = handler.handle(id, UUID.randomUUID(), new Deposit(100));
        CommandOutcome second = handler.handle(id, UUID.randomUUID(), new Withdraw(30));

        assertThat(first).isEqualTo(new Accepted(ledger.streamOf(id), 2, false));
        assertThat(second).isEqualTo(new Accepted(ledger.streamOf(id), 3, false));
        assertThat(ledger.store.rejectedAppends).as("rejected appends").hasValue(0);
        assertThat(ledger.store.reads).as("read calls").hasValue(0);
        assertThat(ledger.store.appends).as("appends").hasValue(2);
        assertThat(balance(id)).isEqualTo(70);
    }

    @Test
    void its_own_last_write_is_only_a_hint_another_writers_commit_behind_it_is_caught_up_by_the_conflict() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        handler.handle(id, UUID.randomUUID(), new Deposit(100));   // remembered at r = 2
        ledger.appendDirectly(id, new Deposited(5));               // another process: r = 3
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Deposit(1));

        assertThat(outcome).isEqualTo(new Accepted(ledger.streamOf(id), 4, false));
        assertThat(ledger.store.rejectedAppends).as("rejected appends").hasValue(1);
        assertThat(ledger.store.commitsRead).as("commits read").hasValue(1);
        assertThat(balance(id)).isEqualTo(106);
    }

    @Test
    void once_the_view_has_caught_up_it_is_used_again() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        handler.handle(id, UUID.randomUUID(), new Deposit(100));   // remembered at r = 2
        ledger.appendDirectly(id, new Deposited(5));               // r = 3, and the view is brought there
        ledger.putViewAt(id, 3);
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Deposit(1));

        assertThat(outcome).isEqualTo(new Accepted(ledger.streamOf(id), 4, false));
        assertThat(ledger.store.rejectedAppends).as("rejected appends").hasValue(0);
        assertThat(ledger.store.reads).as("read calls").hasValue(0);
        assertThat(balance(id)).isEqualTo(106);
    }

    @Test
    void a_stale_view_costs_one_rejected_append_and_one_read_of_exactly_the_missing_commits() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(10));
        ledger.putViewAt(id, 2);                       // view at r = 2
        ledger.appendDirectly(id, new Deposited(20));  // store moves on to r + 3 = 5 behind the view's back
        ledger.appendDirectly(id, new Deposited(30));
        ledger.appendDirectly(id, new Deposited(40));
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Deposit(100));

        assertThat(outcome).isEqualTo(new Accepted(ledger.streamOf(id), 6, false));
        assertThat(ledger.store.rejectedAppends).as("rejected appends").hasValue(1);
        assertThat(ledger.store.appends).as("appends").hasValue(2);
        assertThat(ledger.store.reads).as("read calls").hasValue(1);
        assertThat(ledger.store.commitsRead).as("commits read").hasValue(3);
        assertThat(handler.commitsCaughtUp()).isEqualTo(3);
        assertThat(balance(id)).isEqualTo(10 + 20 + 30 + 40 + 100);
    }

    @Test
    void a_rejection_decided_on_a_stale_view_is_checked_against_the_missing_commits_before_it_is_returned() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);                        // the view says balance 0
        ledger.appendDirectly(id, new Deposited(500));  // the store says 500
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Withdraw(100));

        assertThat(outcome).isEqualTo(new Accepted(ledger.streamOf(id), 3, false));
        assertThat(ledger.store.rejectedAppends).hasValue(0);
        assertThat(ledger.store.commitsRead).hasValue(1);
        assertThat(balance(id)).isEqualTo(400);
    }

    @Test
    void a_rejection_on_a_current_view_costs_one_empty_read_to_confirm_it() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Withdraw(100));

        assertThat(outcome).isInstanceOf(Rejected.class);
        assertThat(ledger.store.reads).hasValue(1);
        assertThat(ledger.store.commitsRead).hasValue(0);
        assertThat(ledger.store.appends).hasValue(0);
    }

    @Test
    void without_a_view_the_stream_is_replayed_and_the_first_command_opens_it() {
        String id = Ledger.newAccountId();

        CommandOutcome opened = handler.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        CommandOutcome deposited = handler.handle(id, UUID.randomUUID(), new Deposit(5));

        assertThat(opened).isEqualTo(new Accepted(ledger.streamOf(id), 1, false));
        assertThat(deposited).isEqualTo(new Accepted(ledger.streamOf(id), 2, false));
        assertThat(ledger.store.rejectedAppends).hasValue(0);
    }

    @Test
    void a_rejected_command_appends_nothing_and_says_why() {
        String id = Ledger.newAccountId();
        handler.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        ledger.store.reset();

        CommandOutcome outcome = handler.handle(id, UUID.randomUUID(), new Withdraw(1));

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.rejection().reason()).isEqualTo("insufficient_funds"));
        assertThat(ledger.store.appends).hasValue(0);
        assertThat(ledger.memoryStore.revision(ledger.streamOf(id))).isEqualTo(1);
    }

    @Test
    void a_retry_whose_first_answer_was_lost_while_the_view_is_still_behind_stores_nothing_twice() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        UUID commandId = UUID.randomUUID();
        handler.handle(id, commandId, new Deposit(100)); // landed; pretend the answer never reached the client

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
        assertThat(ledger.memoryStore.revision(ledger.streamOf(id))).isEqualTo(2);
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_retry_after_the_view_caught_up_is_recognised_from_the_view_without_touching_the_store() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        UUID commandId = UUID.randomUUID();
        handler.handle(id, commandId, new Deposit(100));
        ledger.putViewAt(id, 2);
        ledger.store.reset();

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
        assertThat(ledger.store.appends).hasValue(0);
        assertThat(ledger.store.reads).hasValue(0);
    }

    @Test
    void a_retry_with_a_stale_view_after_the_stream_moved_on_is_found_by_the_catch_up_read() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        ledger.appendDirectly(id, new Deposited(1));                      // 2
        UUID commandId = UUID.randomUUID();
        handler.handle(id, commandId, new Deposit(100));                 // lands at 3 after one catch-up
        ledger.appendDirectly(id, new Deposited(1));                      // 4; the view is still at 1
        ledger.store.reset();

        // the retry reaches another handler (another node, or after a restart): it does not know the first's write
        CommandOutcome retried = ledger.handler().handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 3, true));
        assertThat(ledger.store.appends).as("the one append that revealed the stale view").hasValue(1);
        assertThat(ledger.store.commitsRead).hasValue(3);
        assertThat(ledger.memoryStore.revision(ledger.streamOf(id))).isEqualTo(4);
        assertThat(balance(id)).isEqualTo(102);
    }

    @Test
    void a_retry_to_the_same_handler_while_the_view_is_behind_is_recognised_from_its_own_write() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        UUID commandId = UUID.randomUUID();
        handler.handle(id, commandId, new Deposit(100));                 // 2; the view is still at 1
        ledger.store.reset();

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
        assertThat(ledger.store.appends).hasValue(0);
        assertThat(ledger.store.reads).hasValue(0);
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_retry_without_a_view_is_found_while_replaying_the_stream() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        UUID commandId = UUID.randomUUID();
        handler.handle(id, commandId, new Deposit(100));                 // 2, no view anywhere
        ledger.appendDirectly(id, new Deposited(1));                      // 3
        ledger.store.reset();

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
        assertThat(ledger.store.appends).hasValue(0);
    }

    @Test
    void a_retry_is_recognised_while_fewer_than_the_window_of_other_commits_followed_it() {
        UUID commandId = UUID.randomUUID();
        String id = anAccountWhoseDepositWasFollowedBy(commandId, Snapshot.IDEMPOTENCY_WINDOW - 1);
        ledger.putViewAt(id, ledger.memoryStore.revision(ledger.streamOf(id)));

        ledger.store.reset();

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
        assertThat(ledger.store.appends).as("recognised from the view alone").hasValue(0);
        assertThat(ledger.store.reads).hasValue(0);
    }

    @Test
    void a_retry_after_the_window_has_passed_and_the_view_applied_it_is_decided_afresh_on_a_store_without_an_id_index() {
        // The documented bound: the view remembers the last IDEMPOTENCY_WINDOW commit ids, no more. A store that only
        // recognises a commit id at the revision it appends to (DynamoDB's conditional put) then stores it again;
        // the in-memory and PostgreSQL stores look the id up in the whole stream and would still catch it.
        UUID commandId = UUID.randomUUID();
        String id = anAccountWhoseDepositWasFollowedBy(commandId, Snapshot.IDEMPOTENCY_WINDOW);
        long before = ledger.memoryStore.revision(ledger.streamOf(id));
        ledger.putViewAt(id, before);

        CommandOutcome retried = handler.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), before + 1, false));
    }

    @Test
    void a_retry_after_the_window_has_passed_is_still_caught_by_a_store_that_indexes_commit_ids() {
        UUID commandId = UUID.randomUUID();
        String id = anAccountWhoseDepositWasFollowedBy(commandId, Snapshot.IDEMPOTENCY_WINDOW);
        ledger.putViewAt(id, ledger.memoryStore.revision(ledger.streamOf(id)));
        CommandHandler<AccountCommand, AccountEvent, AccountState> onIndexingStore = CommandHandler
                .builder(ledger.accounts, ledger.codec, ledger.memoryStore)
                .views(ledger.views).fastChannel(ledger.fastChannel).retryPolicy(ledger.retryPolicy).build();

        CommandOutcome retried = onIndexingStore.handle(id, commandId, new Deposit(100));

        assertThat(retried).isEqualTo(new Accepted(ledger.streamOf(id), 2, true));
    }

    @Test
    void concurrent_commands_on_one_account_all_land_exactly_once() throws Exception {
        String id = Ledger.newAccountId();
        handler.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        ledger.putViewAt(id, 1); // a view that every thread finds stale after the first winner
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<Integer>> tasks = new ArrayList<>();
        CommandHandler<AccountCommand, AccountEvent, AccountState> patient = CommandHandler
                .builder(ledger.accounts, ledger.codec, (EventStore) ledger.store)
                .views(ledger.views).fastChannel(ledger.fastChannel)
                .retryPolicy(new RetryPolicy(1_000, Duration.ofMillis(1), Duration.ofMillis(5)))
                .build();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                int accepted = 0;
                for (int i = 0; i < perThread; i++) {
                    if (patient.handle(id, UUID.randomUUID(), new Deposit(1)) instanceof Accepted) {
                        accepted++;
                    }
                }
                return accepted;
            });
        }
        int accepted = 0;
        for (Future<Integer> f : pool.invokeAll(tasks)) {
            accepted += f.get();
        }
        pool.shutdown();

        assertThat(accepted).isEqualTo(threads * perThread);
        assertThat(ledger.memoryStore.revision(ledger.streamOf(id))).isEqualTo(1 + threads * perThread);
        assertThat(balance(id)).isEqualTo(threads * perThread);
        assertThat(patient.conflicts()).isPositive();
    }

    @Test
    void a_writer_that_always_loses_gives_up_after_the_retry_bound_with_the_conflict() {
        String id = Ledger.newAccountId();
        handler.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        EventStore alwaysBeaten = new RivalBeforeEveryAppend(ledger.memoryStore, ledger);
        CommandHandler<AccountCommand, AccountEvent, AccountState> loser = CommandHandler
                .builder(ledger.accounts, ledger.codec, alwaysBeaten)
                .views(ledger.views).fastChannel(ledger.fastChannel).retryPolicy(ledger.retryPolicy).build();

        assertThatThrownBy(() -> loser.handle(id, UUID.randomUUID(), new Deposit(1)))
                .isInstanceOf(WrongExpectedRevision.class);
        assertThat(loser.conflicts()).isEqualTo(ledger.retryPolicy.maxAttempts());
    }

    @Test
    void without_a_view_a_snapshot_is_written_once_the_bytes_read_exceed_its_size() {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CommandHandler<AccountCommand, AccountEvent, AccountState> withSnapshots = ledger.handlerWithSnapshots(writer);
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        for (int i = 0; i < 20; i++) {
            ledger.appendDirectly(id, new Deposited(1));
        }

        withSnapshots.handle(id, UUID.randomUUID(), new Deposit(1));

        Eventually.within(Duration.ofSeconds(5), "snapshot written",
                () -> ledger.snapshots.load(ledger.streamOf(id)).isPresent());
        Snapshot<AccountState> snapshot = ledger.snapshots.load(ledger.streamOf(id)).orElseThrow();
        assertThat(snapshot.revision()).isEqualTo(22);
        assertThat(snapshot.state().balance()).isEqualTo(21);
        assertThat(withSnapshots.snapshotsWritten()).isEqualTo(1);

        ledger.store.reset();
        withSnapshots.handle(id, UUID.randomUUID(), new Deposit(1));
        assertThat(ledger.store.commitsRead).as("only commits after the snapshot are read").hasValue(0);
        writer.shutdownNow();
    }

    @Test
    void the_snapshot_is_written_off_the_acknowledgement_path() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        writer.execute(() -> awaitQuietly(release)); // the writer is busy: the command must not wait for it
        CommandHandler<AccountCommand, AccountEvent, AccountState> withSnapshots = ledger.handlerWithSnapshots(writer);
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        for (int i = 0; i < 20; i++) {
            ledger.appendDirectly(id, new Deposited(1));
        }

        CommandOutcome outcome = withSnapshots.handle(id, UUID.randomUUID(), new Deposit(1));

        assertThat(outcome).isInstanceOf(Accepted.class);
        assertThat(ledger.snapshots.load(ledger.streamOf(id))).isEmpty();
        release.countDown();
        Eventually.within(Duration.ofSeconds(5), "snapshot written after the answer",
                () -> ledger.snapshots.load(ledger.streamOf(id)).isPresent());
        writer.shutdownNow();
    }

    @Test
    void a_short_history_is_not_worth_a_snapshot() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CommandHandler<AccountCommand, AccountEvent, AccountState> withSnapshots = ledger.handlerWithSnapshots(writer);
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));

        withSnapshots.handle(id, UUID.randomUUID(), new Deposit(1));
        writer.shutdown();
        assertThat(writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(ledger.snapshots.load(ledger.streamOf(id))).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An account opened, then {@code commandId} deposited 100 (revision 2), then {@code others} more commits. */
    private String anAccountWhoseDepositWasFollowedBy(UUID commandId, int others) {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        handler.handle(id, commandId, new Deposit(100));
        for (int i = 0; i < others; i++) {
            ledger.appendDirectly(id, new Deposited(1));
        }
        return id;
    }

    private long balance(String id) {
        return ledger.queries().find(id, AggregateQueries.Consistency.STRONG).orElseThrow().state().balance();
    }

    /** A store on which another writer always appends just before us. */
    private static final class RivalBeforeEveryAppend extends ForwardingEventStore {
        private final Ledger ledger;

        RivalBeforeEveryAppend(EventStore delegate, Ledger ledger) {
            super(delegate);
            this.ledger = ledger;
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
            delegate.append(stream, ExpectedRevision.ANY, Commit.of(UUID.randomUUID(), ledger.codec.encode(new Deposited(1))));
            return delegate.append(stream, expected, commit);
        }
    }
}
