package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStores;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One view's rows in the {@code views} table, each written by compare-and-set on its revision; a row of another
 * schema version counts as absent (revision 0), so a changed state shape is rebuilt rather than misread.
 * {@link #putAll} writes views and a projection's checkpoint in one transaction; {@link PostgresDocumentStore} keeps
 * a projection's per-stream states here and writes them in its own transactions through
 * {@link #write(Connection, ViewWrite)}. Thread-safe.
 *
 * @param <S> the state type
 */
final class PostgresViewStore<S> implements TransactionalViewStore<S> {

    private static final String GET = "SELECT " + StateColumns.SELECT
            + " FROM {schema}.views WHERE view = ? AND stream = ?";
    /** A first view: inserted, or replacing a row of another schema version. */
    private static final String INSERT = """
            INSERT INTO {schema}.views AS v (view, stream, revision, schema_version, state, recent_commit_ids)
            VALUES (?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (view, stream) DO UPDATE
                SET revision = excluded.revision, schema_version = excluded.schema_version,
                    state = excluded.state, recent_commit_ids = excluded.recent_commit_ids
                WHERE v.schema_version <> excluded.schema_version""";
    private static final String REPLACE = """
            UPDATE {schema}.views SET revision = ?, state = ?::jsonb, recent_commit_ids = ?
            WHERE view = ? AND stream = ? AND revision = ? AND schema_version = ?""";
    /** See {@link #relaxDurability}; the same as the document store's. */
    private static final String RELAXED_DURABILITY = "SET LOCAL synchronous_commit = off";

    private static final String DELETE_ALL = "DELETE FROM {schema}.views WHERE view = ?";

    private final Database db;
    private final String view;
    private final StateColumns<S> columns;
    private final PostgresCheckpointStore checkpoints;
    private final String get;
    private final String insert;
    private final String replace;
    private final String deleteAll;

    PostgresViewStore(Database db, String view, StateCodec<S> codec, PostgresCheckpointStore checkpoints) {
        this.db = requireNonNull(db, "db must not be null");
        this.view = requireNonNull(view, "view must not be null");
        if (view.isEmpty()) {
            throw new IllegalArgumentException("view must not be empty");
        }
        this.columns = new StateColumns<>(codec);
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        this.get = db.sql(GET);
        this.insert = db.sql(INSERT);
        this.replace = db.sql(REPLACE);
        this.deleteAll = db.sql(DELETE_ALL);
    }

    /** {@inheritDoc} One {@code DELETE} of the view's rows, in one transaction. */
    @Override
    public void deleteAll() {
        db.call("deleting view " + view, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(deleteAll)) {
                statement.setString(1, view);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        return db.call("reading view " + view + " of " + stream, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(get)) {
                statement.setString(1, view);
                statement.setString(2, stream.value());
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? columns.read(row, stream) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean put(Snapshot<S> snapshot, long replacing) {
        requireNonNull(snapshot, "view must not be null");
        ViewStores.checkReplacing(snapshot, replacing);
        return db.call("writing view " + view + " of " + snapshot.stream(),
                connection -> write(connection, new ViewWrite<>(snapshot, replacing)));
    }

    @Override
    public boolean putAll(List<ViewWrite<S>> writes, String projection, Checkpoint checkpoint) {
        requireNonNull(writes, "writes must not be null");
        PostgresCheckpointStore.checkName(projection);
        requireNonNull(checkpoint, "checkpoint must not be null");
        // rows are locked in stream order, so that two transactions over the same streams cannot deadlock
        List<ViewWrite<S>> ordered = new ArrayList<>(writes);
        ordered.sort(Comparator.comparing(write -> write.view().stream()));
        Set<StreamId> streams = new HashSet<>();
        for (ViewWrite<S> write : ordered) {
            if (!streams.add(write.view().stream())) {
                throw new IllegalArgumentException("two writes for " + write.view().stream() + " in one putAll");
            }
        }
        return db.inTransactionIf("writing " + writes.size() + " views of " + view + " and the checkpoint of "
                + projection, connection -> {
                    relaxDurability(connection);
                    if (!writeAll(connection, ordered)) {
                        return false;
                    }
                    checkpoints.save(connection, projection, checkpoint);
                    return true;
                });
    }

    /**
     * Views and their checkpoint are derived data, atomic in one transaction: the commit does not wait for its WAL
     * flush (DESIGN.md allows derived data weaker durability than events, as long as each write stays atomic with
     * its checkpoint). A crash of the server can lose the last such transactions, views and checkpoint together,
     * which the projector replays from the older checkpoint; the next synchronous commit (any append) flushes them.
     * Measured (benchmarks' {@code postgres}): without it each command paid for a second fsync, the projector's.
     */
    static void relaxDurability(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(RELAXED_DURABILITY);
        }
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * Writes views by compare-and-set on {@code connection}, in the order given, within the caller's transaction:
     * the replacements of existing views as one JDBC batch (one round trip), a first view on its own.
     *
     * @return true when all were written; false when a stored view was not at its {@link ViewWrite#replacing()}
     *         (the caller rolls back: some of the others may have been written)
     */
    boolean writeAll(Connection connection, List<ViewWrite<S>> writes) throws SQLException {
        if (writes.size() == 1) {
            return write(connection, writes.get(0));
        }
        try (PreparedStatement statement = connection.prepareStatement(replace)) {
            int batched = 0;
            for (ViewWrite<S> write : writes) {
                if (write.replacing() == 0) {
                    if (batched > 0 && !allOne(statement.executeBatch())) {
                        return false;
                    }
                    batched = 0;
                    if (!write(connection, write)) {
                        return false;
                    }
                    continue;
                }
                bindReplace(connection, statement, write);
                statement.addBatch();
                batched++;
            }
            return batched == 0 || allOne(statement.executeBatch());
        }
    }

    private static boolean allOne(int[] counts) {
        for (int count : counts) {
            if (count != 1) {
                return false;
            }
        }
        return true;
    }

    private void bindReplace(Connection connection, PreparedStatement statement, ViewWrite<S> write)
            throws SQLException {
        Snapshot<S> snapshot = write.view();
        statement.setLong(1, snapshot.revision());
        columns.bindState(statement, 2, snapshot);
        StateColumns.bindCommitIds(connection, statement, 3, snapshot);
        statement.setString(4, view);
        statement.setString(5, snapshot.stream().value());
        statement.setLong(6, write.replacing());
        statement.setInt(7, columns.schemaVersion());
    }

    /**
     * Writes one view by compare-and-set on {@code connection}, within the caller's transaction if it has one.
     *
     * @return true when written; false when the stored view was not at {@link ViewWrite#replacing()}
     */
    boolean write(Connection connection, ViewWrite<S> write) throws SQLException {
        Snapshot<S> snapshot = write.view();
        if (write.replacing() == 0) {
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                statement.setString(1, view);
                statement.setString(2, snapshot.stream().value());
                statement.setLong(3, snapshot.revision());
                statement.setInt(4, columns.schemaVersion());
                columns.bindState(statement, 5, snapshot);
                StateColumns.bindCommitIds(connection, statement, 6, snapshot);
                return statement.executeUpdate() == 1;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(replace)) {
            bindReplace(connection, statement, write);
            return statement.executeUpdate() == 1;
        }
    }
}
