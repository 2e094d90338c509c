package io.cairn.postgres;

import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewWrite;
import io.cairn.contracts.TestState;
import io.cairn.domain.StreamId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A projector's transaction (views or documents and states, with the checkpoint) is one statement, so one round trip,
 * counted by the server itself ({@code pg_stat_statements}, every top-level statement and utility command, BEGIN and
 * SET included); and its relaxed durability stays its own. A server of its own: with {@code pg_stat_statements}
 * loaded and {@code synchronous_commit} on, as in production. Before {@code write_derived}, a view write with its
 * checkpoint was four statements (BEGIN with SET LOCAL, UPDATE, the checkpoint upsert, COMMIT). A large write is one
 * statement too, and inside it one lock statement and one set-based UPDATE per 32 rows, not a statement per row.
 */
class ProjectorRoundTripsTest {

    private static final int WRITES = 20;

    private static EmbeddedPostgres server;

    private PostgresSettings settings;
    private Database db;
    private PostgresCheckpointStore checkpoints;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track_utility", "on")
                // the statements inside write_derived too (toplevel false), for what the large path costs
                .setServerConfig("pg_stat_statements.track", "all")
                .start();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void openStores() {
        settings = PostgresSettings.of(server.getJdbcUrl("postgres", "postgres"), "postgres", "")
                .withSchema(io.cairn.postgres.testing.TestPostgres.freshSchemaName())
                .withPoolSize(2);
        new SchemaMigrations(settings).migrate();
        db = new Database(settings);
        db.open();
        checkpoints = new PostgresCheckpointStore(db);
    }

    @AfterEach
    void closeStores() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void views_with_their_checkpoint_are_one_statement_per_transaction() throws Exception {
        PostgresViewStore<TestState> views = new PostgresViewStore<>(db, "accounts", TestState.CODEC, checkpoints);
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        assertThat(views.putAll(List.of(new ViewWrite<>(aSnapshotOf(a).at(1).build(), 0),
                new ViewWrite<>(aSnapshotOf(b).at(1).build(), 0)), "p", Checkpoint.atPosition(1))).isTrue();
        resetStatements();

        long atA = 1;
        long atB = 1;
        for (int i = 0; i < WRITES; i++) {
            // one view, or two (a JDBC batch before write_derived)
            List<ViewWrite<TestState>> writes = new ArrayList<>();
            writes.add(new ViewWrite<>(aSnapshotOf(a).at(atA + 1).build(), atA++));
            if (i % 2 == 1) {
                writes.add(new ViewWrite<>(aSnapshotOf(b).at(atB + 1).build(), atB++));
            }
            assertThat(views.putAll(writes, "p", Checkpoint.atPosition(i + 2))).isTrue();
        }

        assertThat(statementsSinceReset()).as("statements the store ran for %d transactions: %s", WRITES,
                statements()).isEqualTo(WRITES);
        assertThat(views.get(a).orElseThrow().revision()).isEqualTo(WRITES + 1);
        assertThat(views.get(b).orElseThrow().revision()).isEqualTo(1 + WRITES / 2);
        assertThat(checkpoints.load("p")).contains(Checkpoint.atPosition(WRITES + 1));
    }

    @Test
    void documents_states_and_checkpoint_are_one_statement_per_transaction() throws Exception {
        PostgresDocumentStore<TestState> documents = new PostgresDocumentStore<>(db, "owners", TestState.CODEC,
                checkpoints);
        StreamId stream = aNewStream();
        assertThat(documents.write(List.of(new DocumentWrite.Put("owner-1", "{\"n\":0}", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(1)))).isTrue();
        resetStatements();

        for (int i = 1; i <= WRITES; i++) {
            assertThat(documents.write(List.of(new DocumentWrite.Put("owner-1", "{\"n\":" + i + "}", i)),
                    List.of(new ViewWrite<>(aSnapshotOf(stream).at(i + 1).build(), i)),
                    Optional.of(Checkpoint.atPosition(i + 1)))).isTrue();
        }

        assertThat(statementsSinceReset()).as("statements the store ran for %d transactions: %s", WRITES,
                statements()).isEqualTo(WRITES);
        assertThat(documents.document("owner-1").orElseThrow().version()).isEqualTo(WRITES + 1);
        assertThat(checkpoints.load("owners")).contains(Checkpoint.atPosition(WRITES + 1));
    }

    /**
     * 40 views per transaction: one statement, and inside it (pg_stat_statements' nested statements) the lock of the
     * 40 rows, two set-based UPDATEs (32 rows, then 8) and the checkpoint; with one statement per row (V7) it was 40
     * UPDATEs. The documents' path is the same: 40 documents in two UPDATEs, and their one state on its own.
     */
    @Test
    void a_large_write_is_one_statement_and_inside_it_one_lock_and_one_update_per_32_rows() throws Exception {
        PostgresViewStore<TestState> views = new PostgresViewStore<>(db, "accounts", TestState.CODEC, checkpoints);
        PostgresDocumentStore<TestState> documents = new PostgresDocumentStore<>(db, "owners", TestState.CODEC,
                checkpoints);
        int size = 40;
        List<StreamId> streams = new ArrayList<>();
        List<ViewWrite<TestState>> firsts = new ArrayList<>();
        List<DocumentWrite> firstDocuments = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            streams.add(aNewStream());
            firsts.add(new ViewWrite<>(aSnapshotOf(streams.get(i)).at(1).build(), 0));
            firstDocuments.add(new DocumentWrite.Put("owner-" + i, "{\"n\":0}", 0));
        }
        StreamId owned = aNewStream();
        assertThat(views.putAll(firsts, "p", Checkpoint.atPosition(1))).isTrue();
        assertThat(documents.write(firstDocuments, List.of(new ViewWrite<>(aSnapshotOf(owned).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(1)))).isTrue();
        resetStatements();

        int transactions = 3;
        for (int t = 1; t <= transactions; t++) {
            List<ViewWrite<TestState>> writes = new ArrayList<>();
            List<DocumentWrite> documentWrites = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                writes.add(new ViewWrite<>(aSnapshotOf(streams.get(i)).at(t + 1).build(), t));
                documentWrites.add(new DocumentWrite.Put("owner-" + i, "{\"n\":" + t + "}", t));
            }
            assertThat(views.putAll(writes, "p", Checkpoint.atPosition(t + 1))).isTrue();
            assertThat(documents.write(documentWrites,
                    List.of(new ViewWrite<>(aSnapshotOf(owned).at(t + 1).build(), t)),
                    Optional.of(Checkpoint.atPosition(t + 1)))).isTrue();
        }

        assertThat(statementsSinceReset()).as("statements: %s", statements()).isEqualTo(2 * transactions);
        Map<String, long[]> inside = nestedStatements();
        assertThat(callsAndRows(inside, "UPDATE %.views%")).as("views UPDATEs and rows: %s", describe(inside))
                .containsExactly(3L * transactions, (size + 1L) * transactions); // and the owners' state, on its own
        assertThat(callsAndRows(inside, "UPDATE %.documents%")).as("documents UPDATEs and rows: %s", describe(inside))
                .containsExactly(2L * transactions, (long) size * transactions);
        assertThat(callsAndRows(inside, "%FOR UPDATE%")).as("lock statements and rows: %s", describe(inside))
                .containsExactly(2L * transactions, 2L * size * transactions);
        assertThat(views.get(streams.get(size - 1)).orElseThrow().revision()).isEqualTo(transactions + 1);
        assertThat(documents.document("owner-" + (size - 1)).orElseThrow().version()).isEqualTo(transactions + 1);
    }

    /**
     * The plan write_derived's session caches for a set-based UPDATE was made while the view had 8 rows; then the view
     * grows to 3 008 rows. A write of the 8 still reads about its own rows (the transaction's own counts of rows
     * fetched and returned from the table), not the whole view: without the bound by primary key in each set-based
     * statement, that plan read all 3 008 and more (the cause of the projections falling behind with the first
     * set-based write_derived).
     */
    @Test
    void a_large_write_reads_only_its_own_rows_though_the_view_grew_after_its_plan_was_cached() throws Exception {
        PostgresViewStore<TestState> views = new PostgresViewStore<>(db, "grown", TestState.CODEC, checkpoints);
        DerivedWriteFunction function = new DerivedWriteFunction(db);
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            streams.add(aNewStream());
        }
        // one session throughout: the one whose plans are cached
        long rowsRead = db.call("test", connection -> {
            assertThat(function.call(connection, "p", List.of(), views.rows(replacing(streams, 0)),
                    Optional.of(Checkpoint.atPosition(1)))).isTrue();
            long at = 1;
            for (; at <= 6; at++) { // past the plan cache's five custom plans, whatever the function's setting
                assertThat(function.call(connection, "p", List.of(), views.rows(replacing(streams, at)),
                        Optional.of(Checkpoint.atPosition(at + 1)))).isTrue();
            }
            try (Connection other = connect(); Statement statement = other.createStatement()) {
                statement.execute("INSERT INTO " + settings.schema() + ".views"
                        + " SELECT 'grown', 'other-' || i, 1, 1, '{}'::jsonb, '{}' FROM generate_series(1, 3000) i");
            }
            connection.setAutoCommit(false);
            try {
                assertThat(function.call(connection, "p", List.of(), views.rows(replacing(streams, at)),
                        Optional.of(Checkpoint.atPosition(at + 1)))).isTrue();
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT pg_stat_get_xact_tuples_fetched(c.oid)"
                             + " + pg_stat_get_xact_tuples_returned(c.oid) FROM pg_class c"
                             + " WHERE c.oid = '" + settings.schema() + ".views'::regclass")) {
                    row.next();
                    return row.getLong(1);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
        assertThat(rowsRead).as("rows of the view read to write 8 of its 3 008").isLessThanOrEqualTo(4 * 8);
    }

    /** A write of each stream at {@code at + 1} replacing {@code at}; at 0, first views. */
    private static List<ViewWrite<TestState>> replacing(List<StreamId> streams, long at) {
        List<ViewWrite<TestState>> writes = new ArrayList<>();
        for (StreamId stream : streams) {
            writes.add(new ViewWrite<>(aSnapshotOf(stream).at(at + 1).build(), at));
        }
        return writes;
    }

    @Test
    void a_lost_compare_and_set_is_one_statement_too_and_writes_nothing() throws Exception {
        PostgresViewStore<TestState> views = new PostgresViewStore<>(db, "accounts", TestState.CODEC, checkpoints);
        StreamId fresh = aNewStream();
        StreamId stale = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stale).at(3).build();
        assertThat(views.put(stored, 0)).isTrue();
        resetStatements();

        assertThat(views.putAll(List.of(new ViewWrite<>(aSnapshotOf(fresh).at(1).build(), 0),
                new ViewWrite<>(aSnapshotOf(stale).at(4).build(), 2)), "p", Checkpoint.atPosition(9))).isFalse();

        // pg_stat_statements counts only statements that completed: the one call ended in its error (CN409)
        assertThat(statementsSinceReset()).as("completed statements: %s", statements()).isZero();
        assertThat(views.get(fresh)).isEmpty();
        assertThat(views.get(stale)).contains(stored);
        assertThat(checkpoints.load("p")).isEmpty();
    }

    @Test
    void only_the_projector_transaction_commits_without_its_flush() throws Exception {
        PostgresViewStore<TestState> views = new PostgresViewStore<>(db, "accounts", TestState.CODEC, checkpoints);
        StreamId stream = aNewStream();
        DerivedWriteFunction function = new DerivedWriteFunction(db);
        String inside = db.call("test", connection -> {
            connection.setAutoCommit(false);
            try {
                assertThat(function.call(connection, "p", List.of(),
                        views.rows(List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0))),
                        Optional.of(Checkpoint.atPosition(1)))).isTrue();
                return show(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
        assertThat(inside).as("within write_derived's transaction").isEqualTo("off");

        assertThat(views.putAll(List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), "p",
                Checkpoint.atPosition(1))).isTrue();
        // both of the pool's sessions, one of them the write's: their next transactions flush as configured
        String after = db.<String>call("test", one -> db.<String>call("test", other -> show(one) + " " + show(other)));
        assertThat(after).as("the pool's sessions after the write").isEqualTo("on on");
    }

    private static String show(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW synchronous_commit")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void resetStatements() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** Top-level statements of every session since the reset, but the counting's own (its query, its connects). */
    private static long statementsSinceReset() throws SQLException {
        return statements().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Each top-level statement since the reset, but the counting's own, and how often it ran. */
    private static Map<String, Long> statements() throws SQLException {
        Map<String, Long> calls = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT query, calls FROM pg_stat_statements
                     WHERE toplevel AND query NOT LIKE '%pg_stat_statements%'
                       AND query NOT LIKE 'SET application_name%'""")) {
            while (row.next()) {
                calls.merge(row.getString(1), row.getLong(2), Long::sum);
            }
        }
        return calls;
    }

    /** The statements run inside functions since the reset: each one's calls and rows. */
    private static Map<String, long[]> nestedStatements() throws SQLException {
        Map<String, long[]> nested = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT query, calls, rows FROM pg_stat_statements WHERE NOT toplevel")) {
            while (row.next()) {
                nested.merge(row.getString(1), new long[] {row.getLong(2), row.getLong(3)},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return nested;
    }

    /** The calls and rows of the nested statements whose text is LIKE {@code pattern} ({@code %} only). */
    private static List<Long> callsAndRows(Map<String, long[]> nested, String pattern) {
        java.util.regex.Pattern like = java.util.regex.Pattern.compile(
                "(?s)" + java.util.Arrays.stream(pattern.split("%", -1)).map(java.util.regex.Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(".*")));
        long calls = 0;
        long rows = 0;
        for (Map.Entry<String, long[]> entry : nested.entrySet()) {
            if (like.matcher(entry.getKey()).matches()) {
                calls += entry.getValue()[0];
                rows += entry.getValue()[1];
            }
        }
        return List.of(calls, rows);
    }

    private static String describe(Map<String, long[]> nested) {
        StringBuilder text = new StringBuilder();
        nested.forEach((query, counts) -> text.append("\n  ").append(counts[0]).append(" calls, ").append(counts[1])
                .append(" rows: ").append(query.replaceAll("\\s+", " ")));
        return text.toString();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
    }
}
