package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link Snapshot} is kept in a row, for snapshots and views alike: {@code revision}, the codec's
 * {@code schema_version}, the state as {@code jsonb} (the codec writes JSON text, so psql can query it) and the
 * remembered commit ids as {@code uuid[]}. A row of another schema version reads as absent.
 *
 * @param <S> the state type
 */
final class StateColumns<S> {

    /** The columns, in the order {@link #read} expects them first in a row. */
    static final String SELECT = "revision, schema_version, state::text, recent_commit_ids";

    private final StateCodec<S> codec;

    StateColumns(StateCodec<S> codec) {
        this.codec = requireNonNull(codec, "codec must not be null");
    }

    int schemaVersion() {
        return codec.schemaVersion();
    }

    /** The state as JSON text. */
    String encode(Snapshot<S> snapshot) {
        return codec.encode(snapshot.state());
    }

    /** Binds the state as JSON text (cast to {@code jsonb} in the SQL) at {@code index}. */
    void bindState(PreparedStatement statement, int index, Snapshot<S> snapshot) throws SQLException {
        statement.setString(index, codec.encode(snapshot.state()));
    }

    /** Binds the remembered commit ids as {@code uuid[]} at {@code index}. */
    static void bindCommitIds(Connection connection, PreparedStatement statement, int index, Snapshot<?> snapshot)
            throws SQLException {
        statement.setArray(index, connection.createArrayOf("uuid", snapshot.recentCommitIds().toArray()));
    }

    /**
     * The snapshot in the current row, whose first columns are {@link #SELECT}; empty when it is of another
     * schema version.
     */
    Optional<Snapshot<S>> read(ResultSet row, StreamId stream) throws SQLException {
        long revision = row.getLong(1);
        int schemaVersion = row.getInt(2);
        if (schemaVersion != codec.schemaVersion()) {
            return Optional.empty();
        }
        S state;
        try {
            state = codec.decode(row.getString(3));
        } catch (InvalidInputException e) {
            throw new IllegalStateException("the stored state of " + stream + " at revision " + revision
                    + " does not decode with schema version " + schemaVersion
                    + ": a codec must change its schemaVersion when the state's shape changes", e);
        }
        UUID[] ids = (UUID[]) row.getArray(4).getArray();
        return Optional.of(new Snapshot<>(stream, revision, state, Arrays.asList(ids)));
    }
}
