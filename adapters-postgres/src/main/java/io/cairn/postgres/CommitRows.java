package io.cairn.postgres;

import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/** Reads whole commits, events included, with one query: the SQL and the mapping of its rows. */
final class CommitRows {

    /**
     * The commits chosen by a {@code WHERE} and {@code ORDER BY} (the two {@code %s}) and a {@code LIMIT} parameter,
     * one row each, with their metadata and events gathered into arrays.
     */
    private static final String SELECT = """
            SELECT c.position, c.stream, c.revision, c.commit_id, c.first_event_number, c.recorded_at,
                   md.keys, md.vals, ev.types, ev.data, ev.metadata, ev.versions
            FROM (SELECT * FROM {schema}.commits WHERE %1$s ORDER BY %2$s LIMIT ?) c
            CROSS JOIN LATERAL (
                SELECT coalesce(array_agg(m.key ORDER BY m.key), '{}') AS keys,
                       coalesce(array_agg(m.value ORDER BY m.key), '{}') AS vals
                FROM jsonb_each_text(c.metadata) m) md
            CROSS JOIN LATERAL (
                SELECT array_agg(e.type ORDER BY e.event_number) AS types,
                       array_agg(e.data::text ORDER BY e.event_number) AS data,
                       array_agg(e.metadata::text ORDER BY e.event_number) AS metadata,
                       array_agg(e.version ORDER BY e.event_number) AS versions
                FROM {schema}.events e
                WHERE e.position = c.position) ev
            ORDER BY c.%2$s""";

    private CommitRows() {
    }

    /**
     * @param where   a condition on the commits table's columns, with {@code ?} parameters first
     * @param orderBy a column of the commits table
     * @return the query; its last parameter is the limit
     */
    static String select(Database db, String where, String orderBy) {
        return db.sql(String.format(SELECT, where, orderBy));
    }

    static List<RecordedCommit> read(ResultSet rows) throws SQLException {
        List<RecordedCommit> commits = new ArrayList<>();
        while (rows.next()) {
            commits.add(commit(rows));
        }
        return commits;
    }

    private static RecordedCommit commit(ResultSet row) throws SQLException {
        String[] keys = strings(row.getArray("keys"));
        String[] values = strings(row.getArray("vals"));
        Map<String, String> metadata = new HashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            metadata.put(keys[i], values[i]);
        }
        String[] types = strings(row.getArray("types"));
        String[] data = strings(row.getArray("data"));
        String[] eventMetadata = strings(row.getArray("metadata"));
        Integer[] versions = integers(row.getArray("versions"));
        List<EventData> events = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            events.add(new EventData(types[i], data[i], eventMetadata[i], versions[i]));
        }
        return new RecordedCommit(
                StreamId.of(row.getString("stream")),
                row.getLong("revision"),
                row.getObject("commit_id", UUID.class),
                row.getLong("first_event_number"),
                events,
                metadata,
                row.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                OptionalLong.of(row.getLong("position")));
    }

    private static Integer[] integers(Array array) throws SQLException {
        if (array == null) {
            throw new IllegalStateException("a commit without events: the events table was changed outside Cairn");
        }
        return (Integer[]) array.getArray();
    }

    private static String[] strings(Array array) throws SQLException {
        if (array == null) {
            throw new IllegalStateException("a commit without events: the events table was changed outside Cairn");
        }
        return (String[]) array.getArray();
    }
}
