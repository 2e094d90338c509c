package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Snapshots in the {@code snapshots} table, one row per stream. A save is one upsert that replaces the row only
 * when it is older, or of another schema version (which {@link #load} treats as absent). Thread-safe.
 *
 * @param <S> the state type
 */
final class PostgresSnapshotStore<S> implements SnapshotStore<S> {

    private static final String LOAD = "SELECT " + StateColumns.SELECT + " FROM {schema}.snapshots WHERE stream = ?";
    private static final String SAVE = """
            INSERT INTO {schema}.snapshots AS s (stream, revision, schema_version, state, recent_commit_ids)
            VALUES (?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (stream) DO UPDATE
                SET revision = excluded.revision, schema_version = excluded.schema_version,
                    state = excluded.state, recent_commit_ids = excluded.recent_commit_ids
                WHERE s.revision < excluded.revision OR s.schema_version <> excluded.schema_version""";

    private final Database db;
    private final StateColumns<S> columns;
    private final String load;
    private final String save;

    PostgresSnapshotStore(Database db, StateCodec<S> codec) {
        this.db = requireNonNull(db, "db must not be null");
        this.columns = new StateColumns<>(codec);
        this.load = db.sql(LOAD);
        this.save = db.sql(SAVE);
    }

    @Override
    public Optional<Snapshot<S>> load(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        return db.call("loading the snapshot of " + stream, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(load)) {
                statement.setString(1, stream.value());
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? columns.read(row, stream) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean save(Snapshot<S> snapshot) {
        requireNonNull(snapshot, "snapshot must not be null");
        if (snapshot.revision() < 1) {
            throw new IllegalArgumentException("a snapshot needs revision >= 1, was " + snapshot.revision());
        }
        return db.call("saving a snapshot of " + snapshot.stream(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement(save)) {
                statement.setString(1, snapshot.stream().value());
                statement.setLong(2, snapshot.revision());
                statement.setInt(3, columns.schemaVersion());
                columns.bindState(statement, 4, snapshot);
                StateColumns.bindCommitIds(connection, statement, 5, snapshot);
                return statement.executeUpdate() == 1;
            }
        });
    }
}
