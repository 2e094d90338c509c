package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountState;
import io.cairn.application.PastState.BeforeStream;
import io.cairn.application.PastState.Base;
import io.cairn.application.PastState.BeyondStream;
import io.cairn.application.PastState.Found;
import io.cairn.application.PastState.NoStream;
import io.cairn.application.port.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Time travel in the core, on the in-memory store: a state at a revision or an instant, folded from the best
 * snapshot at or below it, reading only the commits between.
 */
class TimeTravelTest {

    /** The store's clock: each commit is recorded one second after the one before, from {@link #T0} + 1 s. */
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final Ledger ledger = new Ledger(new SteppingClock(T0, Duration.ofSeconds(1)));
    private final AggregateQueries<?, AccountState> queries = ledger.queriesWithSnapshots();

    // ---- at a revision ----------------------------------------------------------------------------------------

    @Test
    void a_revision_without_view_or_snapshot_folds_from_the_start_reading_only_the_commits_up_to_it() {
        String id = anAccountWithDeposits(9);

        Found<AccountState> found = found(queries.atRevision(id, 4));

        assertThat(found.snapshot().revision()).isEqualTo(4);
        assertThat(found.snapshot().state().balance()).isEqualTo(1 + 2 + 3);
        assertThat(found.base()).isEqualTo(Base.INITIAL);
        assertThat(found.commitsRead()).isEqualTo(4);
        assertThat(ledger.store.commitsRead).as("commits the store returned").hasValue(4);
        assertThat(ledger.store.reads.get()).as("every read bounded").isEqualTo(ledger.store.boundedReads.get());
    }

    @Test
    void a_view_exactly_at_the_revision_is_the_answer_and_nothing_is_read() {
        String id = anAccountWithDeposits(5);
        Snapshot<AccountState> view = ledger.putViewAt(id, 3);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 3));

        assertThat(found.snapshot()).isEqualTo(view);
        assertThat(found.base()).isEqualTo(Base.VIEW);
        assertThat(ledger.store.reads).hasValue(0);
    }

    @Test
    void a_view_below_the_revision_is_the_base_and_only_the_commits_after_it_are_read() {
        String id = anAccountWithDeposits(9);
        ledger.putViewAt(id, 2);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 7));

        assertThat(found.base()).isEqualTo(Base.VIEW);
        assertThat(found.baseRevision()).isEqualTo(2);
        assertThat(ledger.store.commitsRead).as("N - r").hasValue(7 - 2);
        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 7));
    }

    @Test
    void a_view_ahead_of_the_revision_is_passed_over_for_the_snapshot_below_it() {
        String id = anAccountWithDeposits(11);
        ledger.putViewAt(id, 10);
        ledger.putSnapshotAt(id, 3);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 8));

        assertThat(found.base()).isEqualTo(Base.SNAPSHOT);
        assertThat(found.baseRevision()).isEqualTo(3);
        assertThat(ledger.store.commitsRead).as("N - r").hasValue(8 - 3);
        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 8));
    }

    @Test
    void a_snapshot_ahead_of_the_revision_is_passed_over_for_the_view_below_it() {
        String id = anAccountWithDeposits(11);
        ledger.putViewAt(id, 2);
        ledger.putSnapshotAt(id, 9);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 6));

        assertThat(found.base()).isEqualTo(Base.VIEW);
        assertThat(ledger.store.commitsRead).hasValue(6 - 2);
        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 6));
    }

    @Test
    void with_both_below_the_revision_the_newer_is_the_base() {
        String id = anAccountWithDeposits(11);
        ledger.putViewAt(id, 4);
        ledger.putSnapshotAt(id, 7);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 10));

        assertThat(found.base()).isEqualTo(Base.SNAPSHOT);
        assertThat(ledger.store.commitsRead).hasValue(10 - 7);
    }

    @Test
    void a_revision_far_behind_a_long_stream_reads_no_commit_past_it() {
        String id = anAccountWithDeposits(2_500);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atRevision(id, 1_200));

        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 1_200));
        assertThat(ledger.store.commitsRead).hasValue(1_200);
    }

    @Test
    void a_revision_beyond_the_stream_answers_the_current_revision() {
        String id = anAccountWithDeposits(4);
        ledger.putViewAt(id, 2);

        assertThat(queries.atRevision(id, 6)).isEqualTo(new BeyondStream<>(6, 5));
        assertThat(queries.atRevision(id, Long.MAX_VALUE)).isEqualTo(new BeyondStream<>(Long.MAX_VALUE, 5));
        assertThat(found(queries.atRevision(id, 5)).snapshot().revision()).isEqualTo(5);
    }

    @Test
    void a_stream_without_commits_is_no_stream_and_a_revision_below_one_is_refused() {
        String id = Ledger.newAccountId();

        assertThat(queries.atRevision(id, 1)).isEqualTo(new NoStream<>());
        assertThatThrownBy(() -> queries.atRevision(id, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void time_travel_writes_nothing_and_the_current_state_stays_current() {
        String id = anAccountWithDeposits(6);
        Snapshot<AccountState> view = ledger.putViewAt(id, 7);
        Snapshot<AccountState> snapshot = ledger.putSnapshotAt(id, 2);

        found(queries.atRevision(id, 4));
        found(queries.atInstant(id, at(id, 5)));

        assertThat(ledger.views.get(ledger.streamOf(id))).contains(view);
        assertThat(ledger.viewStore.get(ledger.streamOf(id))).contains(view);
        assertThat(ledger.snapshots.load(ledger.streamOf(id))).contains(snapshot);
        assertThat(queries.find(id, AggregateQueries.Consistency.EVENTUAL)).contains(view);
    }

    @Test
    void time_travel_to_random_revisions_is_what_a_full_replay_gives() {
        Random random = new Random(12);
        for (int round = 0; round < 30; round++) {
            String id = anAccountWithDeposits(1 + random.nextInt(40));
            long current = ledger.memoryStore.revision(ledger.streamOf(id));
            if (random.nextBoolean()) {
                ledger.putViewAt(id, 1 + random.nextInt((int) current));
            }
            if (random.nextBoolean()) {
                ledger.putSnapshotAt(id, 1 + random.nextInt((int) current));
            }
            for (int probe = 0; probe < 5; probe++) {
                long revision = 1 + random.nextInt((int) current);
                Found<AccountState> found = found(queries.atRevision(id, revision));
                assertThat(found.snapshot()).as("%s at %d", id, revision).isEqualTo(ledger.foldTo(id, revision));
                assertThat(found.commitsRead()).isEqualTo(revision - found.baseRevision());
            }
        }
    }

    // ---- at an instant ----------------------------------------------------------------------------------------

    @Test
    void an_instant_answers_the_state_after_the_last_commit_recorded_by_then() {
        String id = anAccountWithDeposits(5);

        assertThat(revisionAt(id, at(id, 3))).isEqualTo(3);
        assertThat(revisionAt(id, at(id, 3).plusMillis(500))).isEqualTo(3);
        assertThat(revisionAt(id, at(id, 4).minusNanos(1))).isEqualTo(3);
        assertThat(revisionAt(id, at(id, 1))).isEqualTo(1);
        assertThat(revisionAt(id, at(id, 6))).isEqualTo(6);
        assertThat(revisionAt(id, at(id, 6).plus(Duration.ofDays(400)))).isEqualTo(6);
        assertThat(found(queries.atInstant(id, at(id, 4))).snapshot()).isEqualTo(ledger.foldTo(id, 4));
    }

    @Test
    void an_instant_before_the_first_commit_is_before_the_stream_and_a_stream_without_commits_is_no_stream() {
        String id = anAccountWithDeposits(2);

        Instant before = at(id, 1).minusMillis(1);

        assertThat(queries.atInstant(id, before)).isEqualTo(new BeforeStream<>(before, at(id, 1)));
        assertThat(queries.atInstant(Ledger.newAccountId(), at(id, 1))).isEqualTo(new NoStream<>());
    }

    @Test
    void an_instant_after_the_view_was_reached_folds_from_the_view() {
        String id = anAccountWithDeposits(20);
        ledger.putViewAt(id, 12);
        ledger.store.reset();

        Found<AccountState> found = found(queries.atInstant(id, at(id, 15)));

        assertThat(found.base()).isEqualTo(Base.VIEW);
        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 15));
        assertThat(ledger.store.commitsRead.get()).as("the view's own commit, then from 13 on")
                .isEqualTo(found.commitsRead()).isLessThanOrEqualTo(1 + 16);
    }

    @Test
    void an_instant_before_the_view_was_reached_folds_from_the_snapshot_below_it() {
        String id = anAccountWithDeposits(20);
        ledger.putViewAt(id, 18);
        ledger.putSnapshotAt(id, 5);

        Found<AccountState> found = found(queries.atInstant(id, at(id, 9)));

        assertThat(found.base()).isEqualTo(Base.SNAPSHOT);
        assertThat(found.snapshot()).isEqualTo(ledger.foldTo(id, 9));
    }

    @Test
    void time_travel_to_random_instants_is_what_a_full_replay_gives() {
        Random random = new Random(13);
        for (int round = 0; round < 20; round++) {
            String id = anAccountWithDeposits(1 + random.nextInt(40));
            var commits = ledger.memoryStore.read(ledger.streamOf(id), 1, 1000).commits();
            if (random.nextBoolean()) {
                ledger.putViewAt(id, 1 + random.nextInt(commits.size()));
            }
            if (random.nextBoolean()) {
                ledger.putSnapshotAt(id, 1 + random.nextInt(commits.size()));
            }
            for (int probe = 0; probe < 5; probe++) {
                int index = random.nextInt(commits.size());
                Instant instant = commits.get(index).recordedAt().plusMillis(random.nextInt(1000));
                Found<AccountState> found = found(queries.atInstant(id, instant));
                assertThat(found.snapshot()).as("%s at %s", id, instant).isEqualTo(ledger.foldTo(id, index + 1));
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** An account opened, then {@code deposits} deposits of 1, 2, 3, ...: revision {@code deposits + 1}. */
    private String anAccountWithDeposits(int deposits) {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        for (int i = 1; i <= deposits; i++) {
            ledger.appendDirectly(id, new Deposited(i));
        }
        ledger.store.reset();
        return id;
    }

    /** When the stream's commit at {@code revision} was recorded. */
    private Instant at(String id, long revision) {
        return ledger.memoryStore.read(ledger.streamOf(id), revision, 1).commits().get(0).recordedAt();
    }

    private long revisionAt(String id, Instant instant) {
        return found(queries.atInstant(id, instant)).snapshot().revision();
    }

    private static Found<AccountState> found(PastState<AccountState> answer) {
        assertThat(answer).isInstanceOf(Found.class);
        return (Found<AccountState>) answer;
    }

    /** A clock that moves on by {@code step} each time it is read. */
    private static final class SteppingClock extends Clock {
        private Instant next;
        private final Duration step;

        SteppingClock(Instant start, Duration step) {
            this.next = start;
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            next = next.plus(step);
            return next;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
