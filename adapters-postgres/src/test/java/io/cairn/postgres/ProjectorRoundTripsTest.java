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
 * checkpoint was four statements (BEGIN with SET LOCAL, UPDATE, the checkpoint upsert, COMMIT).
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

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.getJdbcUrl("postgres", "postgres"), "postgres", "");
    }
}
