package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Checkpoints in the {@code checkpoints} table, one row per projection, kept as the exact text of the token.
 * {@link PostgresViewStore#putAll} and {@link PostgresDocumentStore#write} save them in their own transactions,
 * with the views or documents, through {@link DerivedWriteFunction}. Thread-safe.
 */
final class PostgresCheckpointStore implements CheckpointStore {

    private static final String LOAD = "SELECT checkpoint FROM {schema}.checkpoints WHERE projection = ?";
    private static final String SAVE = """
            INSERT INTO {schema}.checkpoints (projection, checkpoint) VALUES (?, ?)
            ON CONFLICT (projection) DO UPDATE SET checkpoint = excluded.checkpoint""";

    private static final String DELETE = "DELETE FROM {schema}.checkpoints WHERE projection = ?";

    private final Database db;
    private final String load;
    private final String save;
    private final String delete;

    PostgresCheckpointStore(Database db) {
        this.db = requireNonNull(db, "db must not be null");
        this.load = db.sql(LOAD);
        this.save = db.sql(SAVE);
        this.delete = db.sql(DELETE);
    }

    @Override
    public void delete(String projection) {
        checkName(projection);
        db.call("deleting the checkpoint of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(delete)) {
                statement.setString(1, projection);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Checkpoint> load(String projection) {
        checkName(projection);
        return db.call("loading the checkpoint of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(load)) {
                statement.setString(1, projection);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(new Checkpoint(row.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void save(String projection, Checkpoint checkpoint) {
        checkName(projection);
        requireNonNull(checkpoint, "checkpoint must not be null");
        db.call("saving the checkpoint of projection " + projection, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(save)) {
                statement.setString(1, projection);
                statement.setString(2, checkpoint.value());
                statement.executeUpdate();
            }
            return null;
        });
    }

    /** @throws IllegalArgumentException when {@code projection} is empty */
    static void checkName(String projection) {
        requireNonNull(projection, "projection must not be null");
        if (projection.isEmpty()) {
            throw new IllegalArgumentException("projection must not be empty");
        }
    }
}
