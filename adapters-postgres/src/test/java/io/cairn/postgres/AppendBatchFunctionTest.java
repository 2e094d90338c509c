package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.aCommit;
import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.cairn.application.port.EventStore;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PendingAppend.Appended;
import io.cairn.postgres.PendingAppend.Conflict;
import io.cairn.postgres.PendingAppend.Duplicate;
import io.cairn.postgres.PendingAppend.Outcome;
import io.cairn.postgres.testing.PostgresStoresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code append_batch} function called with batches built by hand, so that what shares a transaction is
 * certain: each append's outcome, the positions and event numbers of what it stores, and what it leaves alone.
 */
class AppendBatchFunctionTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private EventStore store;
    private Database db;
    private AppendBatchFunction function;

    @BeforeEach
    void startStores() {
        PostgresStores stores = postgres.newStores();
        store = stores.eventStore();
        db = new Database(stores.settings());
        db.open();
        function = new AppendBatchFunction(db);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void each_append_of_a_batch_is_decided_in_queue_order_seeing_the_ones_before_it() throws Exception {
        StreamId one = aNewStream();
        StreamId two = aNewStream();
        Commit first = aCommit().withEvents(2).withMetadata("user", "ada \"the\" first").build();
        Commit second = anyCommit();
        Commit fourth = anyCommit();

        List<Outcome> outcomes = call(
                PendingAppend.of(one, ExpectedRevision.NO_STREAM, first),
                PendingAppend.of(one, ExpectedRevision.exactly(1), second),
                PendingAppend.of(one, ExpectedRevision.NO_STREAM, anyCommit()),
                PendingAppend.of(one, ExpectedRevision.ANY, first),
                PendingAppend.of(two, ExpectedRevision.ANY, fourth));

        assertThat(outcomes).hasSize(5);
        RecordedCommit created = ((Appended) outcomes.get(0)).commit();
        RecordedCommit continued = ((Appended) outcomes.get(1)).commit();
        RecordedCommit other = ((Appended) outcomes.get(4)).commit();
        assertThat(List.of(created, continued, other)).extracting(c -> c.position().getAsLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(List.of(created, continued, other)).extracting(RecordedCommit::revision)
                .containsExactly(1L, 2L, 1L);
        assertThat(continued.firstEventNumber()).as("after the two events of the first commit").isEqualTo(3);
        assertThat(outcomes.get(2)).isEqualTo(new Conflict(2));
        assertThat(outcomes.get(3)).as("the same commitId earlier in the batch").isEqualTo(new Duplicate(1));
        // as read back (jsonb normalises the data's spacing, so compare everything else)
        assertThat(store.read(one, 1, 10).commits())
                .extracting(RecordedCommit::commitId, RecordedCommit::revision, RecordedCommit::firstEventNumber,
                        RecordedCommit::position, RecordedCommit::metadata, RecordedCommit::recordedAt)
                .containsExactly(
                        tuple(first.commitId(), 1L, 1L, created.position(), first.metadata(), created.recordedAt()),
                        tuple(second.commitId(), 2L, 3L, continued.position(), Map.of(), continued.recordedAt()));
        assertThat(store.read(two, 1, 10).commits()).extracting(RecordedCommit::commitId)
                .containsExactly(fourth.commitId());
        assertThat(counter()).isEqualTo(3);
    }

    @Test
    void a_commit_id_stored_before_is_a_duplicate_whatever_the_expected_revision() throws Exception {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();
        long position = store.append(stream, ExpectedRevision.NO_STREAM, commit).commit().position().getAsLong();
        store.append(stream, ExpectedRevision.exactly(1), anyCommit());

        List<Outcome> outcomes = call(
                PendingAppend.of(stream, ExpectedRevision.exactly(2), commit),
                PendingAppend.of(stream, ExpectedRevision.exactly(7), commit),
                PendingAppend.of(stream, ExpectedRevision.ANY, commit));

        assertThat(outcomes).containsOnly(new Duplicate(position));
        assertThat(store.revision(stream)).isEqualTo(2);
    }

    @Test
    void a_batch_that_stores_nothing_leaves_the_counter_where_it_was() throws Exception {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());

        List<Outcome> outcomes = call(PendingAppend.of(stream, ExpectedRevision.NO_STREAM, anyCommit()));

        assertThat(outcomes).containsExactly(new Conflict(1));
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void content_that_jsonb_refuses_fails_the_whole_call_and_stores_nothing_of_the_batch() throws Exception {
        StreamId good = aNewStream();
        StreamId bad = aNewStream();

        SQLException refused = catchThrowableOfType(SQLException.class, () -> call(
                PendingAppend.of(good, ExpectedRevision.NO_STREAM, anyCommit()),
                PendingAppend.of(bad, ExpectedRevision.NO_STREAM, aCommit().withEvent("Broken", "{not json").build())));

        assertThat(SqlErrors.isDataException(refused)).as("SQLState " + refused.getSQLState()).isTrue();
        assertThat(store.revision(good)).isZero();
        assertThat(counter()).isZero();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private List<Outcome> call(PendingAppend... batch) throws SQLException {
        try (Connection connection = db.connection()) {
            return function.call(connection, List.of(batch));
        }
    }

    private long counter() throws SQLException {
        try (Connection connection = db.connection();
             PreparedStatement statement = connection.prepareStatement(db.sql(
                     "SELECT last FROM {schema}.global_position"));
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
