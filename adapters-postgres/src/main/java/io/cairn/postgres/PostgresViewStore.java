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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One view's rows in the {@code views} table, each written by compare-and-set on its revision; a row of another
 * schema version counts as absent (revision 0), so a changed state shape is rebuilt rather than misread.
 * {@link #putAll} writes views and a projection's checkpoint in one transaction, one call of
 * {@link DerivedWriteFunction} (one round trip, committed without waiting for its WAL flush: derived data, atomic
 * with its checkpoint); {@link PostgresDocumentStore} keeps a projection's per-stream states here and writes them in
 * its own calls of that function through {@link #rows}. Every other write here commits as the server is configured.
 * Thread-safe.
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

    private static final String DELETE_ALL = "DELETE FROM {schema}.views WHERE view = ?";

    private final Database db;
    private final String view;
    private final StateColumns<S> columns;
    private final PostgresCheckpointStore checkpoints;
    private final String get;
    private final String insert;
    private final String replace;
    private final String deleteAll;
    private final DerivedWriteFunction function;

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
        this.function = new DerivedWriteFunction(db);
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

    /**
     * {@inheritDoc} One call of {@code write_derived} in auto-commit mode: one round trip, one transaction that does
     * not wait for its WAL flush. A crash of the server may lose the last such transactions, views and checkpoint
     * together, which the projector replays from the older checkpoint; the next synchronous commit (any append)
     * flushes them. Measured (benchmarks' {@code postgres}): with a synchronous commit each command paid for a
     * second fsync, the projector's; with four round trips per transaction, CPU on both sides for each.
     */
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
        return db.call("writing " + writes.size() + " views of " + view + " and the checkpoint of " + projection,
                connection -> function.call(connection, projection, List.of(), rows(ordered), Optional.of(checkpoint)));
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * {@code writes}, in their order, as the arrays of {@link DerivedWriteFunction}: written by compare-and-set, all
     * or none, in the transaction of its call.
     */
    DerivedWriteFunction.ViewRows rows(List<ViewWrite<S>> writes) {
        int size = writes.size();
        String[] streams = new String[size];
        long[] revisions = new long[size];
        long[] replacing = new long[size];
        String[] states = new String[size];
        int[] idCounts = new int[size];
        List<UUID> commitIds = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ViewWrite<S> write = writes.get(i);
            Snapshot<S> snapshot = write.view();
            streams[i] = snapshot.stream().value();
            revisions[i] = snapshot.revision();
            replacing[i] = write.replacing();
            states[i] = columns.encode(snapshot);
            idCounts[i] = snapshot.recentCommitIds().size();
            commitIds.addAll(snapshot.recentCommitIds());
        }
        return new DerivedWriteFunction.ViewRows(view, columns.schemaVersion(), streams, revisions, replacing, states,
                idCounts, commitIds.toArray(new UUID[0]));
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
     * Writes one view by compare-and-set on {@code connection} (for {@link #put}).
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
