package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.aCommit;
import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.postgres.testing.PostgresStoresExtension;
import io.cairn.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Appends that queue up while the appender waits for the counter lock go together in one transaction, and each
 * gets its own outcome. The lock is held from outside so that the batch forms for certain.
 */
class AppendBatchingTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private EventStore store;
    private String schema;

    @BeforeEach
    void startStores() {
        PostgresStores stores = postgres.newStores();
        store = stores.eventStore();
        schema = stores.settings().schema();
    }

    @Test
    void a_conflict_or_a_duplicate_in_a_batch_fails_no_other_append_of_it() throws Exception {
        StreamId one = aNewStream();
        StreamId two = aNewStream();
        Commit first = anyCommit();
        Commit second = anyCommit();
        Commit other = anyCommit();
        FutureTask<AppendResult> createOne;
        FutureTask<AppendResult> continueOne;
        FutureTask<AppendResult> staleOnOne;
        FutureTask<AppendResult> retryOfFirst;
        FutureTask<AppendResult> createTwo;
        try (CounterLockHolder lock = new CounterLockHolder(schema)) {
            occupyEveryWriter(lock);
            // queued in this order behind the appends that wait for the lock: they form the next batch
            createOne = appendQueued(one, ExpectedRevision.NO_STREAM, first);
            continueOne = appendQueued(one, ExpectedRevision.exactly(1), second);
            staleOnOne = appendQueued(one, ExpectedRevision.NO_STREAM, anyCommit());
            retryOfFirst = appendQueued(one, ExpectedRevision.NO_STREAM, first);
            createTwo = appendQueued(two, ExpectedRevision.NO_STREAM, other);
            lock.rollback();
        }

        AppendResult created = result(createOne);
        assertThat(created.revision()).isEqualTo(1);
        assertThat(result(continueOne).revision()).isEqualTo(2);
        assertThat(result(createTwo).revision()).isEqualTo(1);
        long next = GroupCommitAppender.WRITERS + 1;
        assertThat(List.of(created, result(continueOne), result(createTwo)))
                .extracting(r -> r.commit().position().getAsLong())
                .containsExactly(next, next + 1, next + 2);
        Throwable conflict = failure(staleOnOne);
        assertThat(conflict).isInstanceOf(WrongExpectedRevision.class);
        assertThat(((WrongExpectedRevision) conflict).actual()).hasValue(2);
        AppendResult retried = result(retryOfFirst);
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.commit().commitId()).isEqualTo(first.commitId());
        assertThat(retried.commit().position()).isEqualTo(created.commit().position());
        assertThat(store.revision(one)).isEqualTo(2);
        assertThat(transactionsThatWrote(one, two)).as("transactions that stored the batch").isEqualTo(1);
    }

    @Test
    void content_postgresql_refuses_fails_only_its_own_append_and_leaves_no_hole() throws Exception {
        StreamId before = aNewStream();
        StreamId refused = aNewStream();
        StreamId after = aNewStream();
        FutureTask<AppendResult> good;
        FutureTask<AppendResult> bad;
        FutureTask<AppendResult> alsoGood;
        try (CounterLockHolder lock = new CounterLockHolder(schema)) {
            occupyEveryWriter(lock);
            good = appendQueued(before, ExpectedRevision.NO_STREAM, anyCommit());
            bad = appendQueued(refused, ExpectedRevision.NO_STREAM, aCommit().withEvent("Broken", "{not json").build());
            alsoGood = appendQueued(after, ExpectedRevision.NO_STREAM, anyCommit());
            lock.rollback();
        }

        assertThat(failure(bad)).isInstanceOf(InvalidInputException.class).hasMessageContaining(refused.value());
        long next = GroupCommitAppender.WRITERS + 1;
        assertThat(List.of(result(good), result(alsoGood))).extracting(r -> r.commit().position().getAsLong())
                .containsExactly(next, next + 1);
        assertThat(store.revision(refused)).isZero();
        assertThat(store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit().position())
                .hasValue(next + 2);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Gives every writer of the appender an append, so that each waits for the counter lock. */
    private void occupyEveryWriter(CounterLockHolder lock) throws Exception {
        for (int i = 1; i <= GroupCommitAppender.WRITERS; i++) {
            appendQueued(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());
            lock.awaitAppendersWaiting(i, WAIT);
        }
    }

    /** Starts an append on a thread of its own and returns once the append is queued and its thread waits. */
    private FutureTask<AppendResult> appendQueued(StreamId stream, ExpectedRevision expected, Commit commit)
            throws InterruptedException {
        FutureTask<AppendResult> task = new FutureTask<>(() -> store.append(stream, expected, commit));
        Thread thread = new Thread(task, "append-" + stream);
        thread.setDaemon(true);
        thread.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the append to " + stream + " did not queue within " + WAIT);
            }
            Thread.sleep(1);
        }
        return task;
    }

    private static AppendResult result(FutureTask<AppendResult> task) throws Exception {
        return task.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Throwable failure(FutureTask<AppendResult> task) {
        Throwable thrown = catchThrowable(() -> task.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    /** How many transactions inserted the commits of these streams: their distinct {@code xmin}. */
    private long transactionsThatWrote(StreamId... streams) throws Exception {
        try (Connection connection = TestPostgres.server().connect();
             PreparedStatement statement = connection.prepareStatement("SELECT count(DISTINCT xmin::text) FROM "
                     + schema + ".commits WHERE stream = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text",
                    Arrays.stream(streams).map(StreamId::value).toArray()));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
