package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import io.cairn.postgres.PendingAppend.Appended;
import io.cairn.postgres.PendingAppend.Conflict;
import io.cairn.postgres.PendingAppend.Duplicate;
import io.cairn.postgres.PendingAppend.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The Java side of the {@code append_batch} function (migration V2, with event versions since V4) and of
 * {@code append_one} (V6): passes a batch as arrays, one call, and reads one outcome per append; a batch of one goes
 * to {@code append_one}, with the commit's fields as scalars, which decides the same way for less of the server's
 * CPU. Either function locks the counter row, decides each append (duplicate, conflict or stored), inserts the
 * stored ones at the next positions, moves the counter and notifies the listeners.
 *
 * <p>Called on a connection in auto-commit mode, the call is its transaction: the counter lock is held while the
 * server works and commits, never across a round trip to this process.
 */
final class AppendBatchFunction {

    private static final String CALL = """
            SELECT outcome, at_position, at_revision, first_event_number, recorded_at
            FROM {schema}.append_batch(?::text[], ?::bigint[], ?::uuid[], ?::integer[], ?::text[],
                                       ?::integer[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::integer[], ?)""";
    private static final String CALL_ONE = """
            SELECT outcome, at_position, at_revision, first_event_number, recorded_at
            FROM {schema}.append_one(?::text, ?::bigint, ?::uuid, ?::integer, ?::text,
                                     ?::text[], ?::text[], ?::text[], ?::integer[], ?::text)""";

    private final String call;
    private final String callOne;
    private final String channel;

    AppendBatchFunction(Database db) {
        requireNonNull(db, "db must not be null");
        this.call = db.sql(CALL);
        this.callOne = db.sql(CALL_ONE);
        this.channel = db.notificationChannel();
    }

    /**
     * Stores what it can of {@code batch} in one transaction, committed when this returns.
     *
     * @param connection in auto-commit mode
     * @return each append's outcome, at the append's index
     * @throws SQLException when the transaction failed: nothing of the batch was stored, unless the connection was
     *                      lost while it committed
     */
    List<Outcome> call(Connection connection, List<PendingAppend> batch) throws SQLException {
        if (batch.size() == 1) {
            return callOne(connection, batch);
        }
        int size = batch.size();
        String[] streams = new String[size];
        Long[] expected = new Long[size];
        UUID[] commitIds = new UUID[size];
        int[] eventCounts = new int[size];
        String[] commitMetadata = new String[size];
        for (int i = 0; i < size; i++) {
            PendingAppend append = batch.get(i);
            Commit commit = append.commit();
            OptionalLong revision = append.expected().toRevision();
            streams[i] = append.stream().value();
            expected[i] = revision.isPresent() ? revision.getAsLong() : null;
            commitIds[i] = commit.commitId();
            eventCounts[i] = commit.events().size();
            commitMetadata[i] = JsonText.objectOf(commit.metadata());
        }
        EventColumns events = EventColumns.of(batch);
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PreparedStatement statement = connection.prepareStatement(call)) {
            statement.setArray(1, connection.createArrayOf("text", streams));
            statement.setArray(2, connection.createArrayOf("int8", expected));
            statement.setArray(3, connection.createArrayOf("uuid", commitIds));
            statement.setArray(4, pg.createArrayOf("int4", eventCounts));
            statement.setArray(5, connection.createArrayOf("text", commitMetadata));
            statement.setArray(6, pg.createArrayOf("int4", events.appends()));
            statement.setArray(7, pg.createArrayOf("int4", events.indexes()));
            statement.setArray(8, connection.createArrayOf("text", events.types()));
            statement.setArray(9, connection.createArrayOf("text", events.data()));
            statement.setArray(10, connection.createArrayOf("text", events.metadata()));
            statement.setArray(11, pg.createArrayOf("int4", events.versions()));
            statement.setString(12, channel);
            try (ResultSet rows = statement.executeQuery()) {
                return outcomes(rows, batch, "append_batch");
            }
        }
    }

    private List<Outcome> callOne(Connection connection, List<PendingAppend> batch) throws SQLException {
        PendingAppend append = batch.get(0);
        Commit commit = append.commit();
        EventColumns events = EventColumns.of(batch);
        OptionalLong revision = append.expected().toRevision();
        try (PreparedStatement statement = connection.prepareStatement(callOne)) {
            statement.setString(1, append.stream().value());
            if (revision.isPresent()) {
                statement.setLong(2, revision.getAsLong());
            } else {
                statement.setNull(2, Types.BIGINT);
            }
            statement.setObject(3, commit.commitId());
            statement.setInt(4, commit.events().size());
            statement.setString(5, JsonText.objectOf(commit.metadata()));
            statement.setArray(6, connection.createArrayOf("text", events.types()));
            statement.setArray(7, connection.createArrayOf("text", events.data()));
            statement.setArray(8, connection.createArrayOf("text", events.metadata()));
            statement.setArray(9, connection.unwrap(PGConnection.class).createArrayOf("int4", events.versions()));
            statement.setString(10, channel);
            try (ResultSet rows = statement.executeQuery()) {
                return outcomes(rows, batch, "append_one");
            }
        }
    }

    /**
     * The events of a batch, one after the other, as the functions' event arrays: the append each belongs to
     * (1-based), its index in its commit, and its fields.
     */
    private record EventColumns(int[] appends, int[] indexes, String[] types, String[] data, String[] metadata,
                                int[] versions) {

        static EventColumns of(List<PendingAppend> batch) {
            int count = 0;
            for (PendingAppend append : batch) {
                count += append.commit().events().size();
            }
            EventColumns columns = new EventColumns(new int[count], new int[count], new String[count],
                    new String[count], new String[count], new int[count]);
            int e = 0;
            for (int i = 0; i < batch.size(); i++) {
                List<EventData> events = batch.get(i).commit().events();
                for (int k = 0; k < events.size(); k++) {
                    EventData event = events.get(k);
                    columns.appends[e] = i + 1;
                    columns.indexes[e] = k;
                    columns.types[e] = event.type();
                    columns.data[e] = event.data();
                    columns.metadata[e] = event.metadata();
                    columns.versions[e] = event.version();
                    e++;
                }
            }
            return columns;
        }
    }

    private static List<Outcome> outcomes(ResultSet rows, List<PendingAppend> batch, String function)
            throws SQLException {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        Instant recordedAt = null;
        while (rows.next()) {
            PendingAppend append = batch.get(outcomes.size());
            String outcome = rows.getString(1);
            switch (outcome) {
                case "stored" -> {
                    if (recordedAt == null) {
                        recordedAt = rows.getObject(5, OffsetDateTime.class).toInstant();
                    }
                    outcomes.add(new Appended(RecordedCommit.of(append.stream(), rows.getLong(3), rows.getLong(4),
                            append.commit(), recordedAt, OptionalLong.of(rows.getLong(2)))));
                }
                case "duplicate" -> outcomes.add(new Duplicate(rows.getLong(2)));
                case "conflict" -> outcomes.add(new Conflict(rows.getLong(3)));
                default -> throw new IllegalStateException(function + " answered '" + outcome + "' for the append to "
                        + append.stream() + ": the function was changed outside Cairn's migrations");
            }
        }
        if (outcomes.size() != batch.size()) {
            throw new IllegalStateException(function + " answered " + outcomes.size() + " outcomes for "
                    + batch.size() + " appends: the function was changed outside Cairn's migrations");
        }
        return outcomes;
    }
}
