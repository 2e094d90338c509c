package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The Java side of the {@code write_derived} function (migration V7, its body replaced by V8): one projector
 * transaction (documents, views, the checkpoint) as one call, so one round trip, whatever its size. On a connection in auto-commit mode the call is the transaction:
 * it commits without waiting for its WAL flush (only this transaction: the function sets {@code synchronous_commit}
 * locally), and a lost compare-and-set raises {@link #LOST_COMPARE_AND_SET}, which rolls all of it back.
 *
 * <p>Why: each projector transaction used to be four or five round trips ({@code SET LOCAL}, the view {@code UPDATE}
 * or a JDBC batch, the checkpoint upsert, {@code COMMIT}), each costing CPU on both sides on a machine where CPU is
 * the limit, and the backend sat {@code idle in transaction} between them.
 *
 * <p>Inside, a call with up to 3 updates of a kind (documents at a version, views replacing a revision) runs one
 * statement per row, which is the cheapest for a few; from 4, those rows are locked in key or stream order by one
 * statement and updated by one set-based {@code UPDATE} per 32 rows (V8). At 16 command threads a call carries 10 to
 * 20 views, and one plpgsql statement per row cost about twice the server CPU of the JDBC batch of plain
 * {@code UPDATE}s that came before this function. Each set-based statement reads only the call's own rows, by
 * primary key, whatever plan the server caches for it (see the migration). Thread-safe (no state beyond its SQL).
 */
final class DerivedWriteFunction {

    /** The SQLState {@code write_derived} raises when a document or view was not where it was expected. */
    static final String LOST_COMPARE_AND_SET = "CN409";

    private static final String CALL = """
            SELECT {schema}.write_derived(?, ?::text[], ?::bigint[], ?::text[], ?, ?::text[], ?::bigint[], ?::bigint[], ?,
                                          ?::text[], ?::integer[], ?::uuid[], ?, ?)""";

    private static final String[] NO_TEXT = new String[0];
    private static final long[] NO_LONGS = new long[0];

    private final String call;

    DerivedWriteFunction(Database db) {
        this.call = requireNonNull(db, "db must not be null").sql(CALL);
    }

    /**
     * The views of one view store to write, in the order given (by stream), as the function's arrays.
     *
     * @param view          the view's name
     * @param schemaVersion the codec's, of every state
     * @param streams       one per view
     * @param revisions     each view's new revision
     * @param replacing     each view's expected stored revision, 0 for a first view
     * @param states        each state as JSON text
     * @param idCounts      how many of {@code commitIds} are each view's remembered commit ids, in order
     * @param commitIds     every view's remembered commit ids, one after the other
     */
    record ViewRows(String view, int schemaVersion, String[] streams, long[] revisions, long[] replacing,
                    String[] states, int[] idCounts, UUID[] commitIds) {

        /** No views: what a document write without states passes. */
        static ViewRows none(String view, int schemaVersion) {
            return new ViewRows(view, schemaVersion, NO_TEXT, NO_LONGS, NO_LONGS, NO_TEXT, new int[0], new UUID[0]);
        }
    }

    /**
     * Writes documents, then views, then the checkpoint, in one transaction.
     *
     * @param connection in auto-commit mode; the call is its transaction
     * @param projection whose documents these are, and under whose name the checkpoint is saved
     * @param documents  sorted by key, at most one per key
     * @param views      sorted by stream, at most one per stream
     * @param checkpoint saved under {@code projection} when present
     * @return true when all was written; false when a document or view was not at its expected version or
     *         revision, and nothing was written
     * @throws SQLException any other failure: nothing was written, unless the connection was lost while it committed
     */
    boolean call(Connection connection, String projection, List<DocumentWrite> documents, ViewRows views,
                 Optional<Checkpoint> checkpoint) throws SQLException {
        int size = documents.size();
        String[] keys = new String[size];
        long[] expected = new long[size];
        String[] bodies = new String[size];
        for (int i = 0; i < size; i++) {
            DocumentWrite write = documents.get(i);
            keys[i] = write.key();
            expected[i] = write.expectedVersion();
            bodies[i] = write instanceof DocumentWrite.Put put ? put.json() : null;
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PreparedStatement statement = connection.prepareStatement(call)) {
            statement.setString(1, projection);
            statement.setArray(2, connection.createArrayOf("text", keys));
            statement.setArray(3, pg.createArrayOf("int8", expected));
            statement.setArray(4, connection.createArrayOf("text", bodies));
            statement.setString(5, views.view());
            statement.setArray(6, connection.createArrayOf("text", views.streams()));
            statement.setArray(7, pg.createArrayOf("int8", views.revisions()));
            statement.setArray(8, pg.createArrayOf("int8", views.replacing()));
            statement.setInt(9, views.schemaVersion());
            statement.setArray(10, connection.createArrayOf("text", views.states()));
            statement.setArray(11, pg.createArrayOf("int4", views.idCounts()));
            statement.setArray(12, connection.createArrayOf("uuid", views.commitIds()));
            if (checkpoint.isPresent()) {
                statement.setString(13, projection);
                statement.setString(14, checkpoint.get().value());
            } else {
                statement.setNull(13, Types.VARCHAR);
                statement.setNull(14, Types.VARCHAR);
            }
            statement.execute();
            return true;
        } catch (SQLException e) {
            if (LOST_COMPARE_AND_SET.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
