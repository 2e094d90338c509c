package io.cairn.postgres;

import io.cairn.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * Stands for another process's appender in the middle of its transaction: takes the counter row's lock on a
 * connection of its own and keeps it until {@link #commit()} or {@link #rollback()}.
 */
final class CounterLockHolder implements AutoCloseable {

    private final String schema;
    private final Connection connection;
    private long last;

    CounterLockHolder(String schema) throws SQLException {
        this.schema = schema;
        this.connection = TestPostgres.server().connect();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT last FROM " + schema + ".global_position FOR UPDATE");
             ResultSet row = lock.executeQuery()) {
            row.next();
            last = row.getLong(1);
        }
    }

    /**
     * Appends a one-event commit to {@code stream} at the next position, as an appender does, without committing.
     *
     * @return the position taken
     */
    long appendByHand(String stream) throws SQLException {
        long position = last + 1;
        try (PreparedStatement commit = connection.prepareStatement("INSERT INTO " + schema + ".commits"
                + " (position, stream, revision, commit_id, first_event_number, event_count, recorded_at, metadata)"
                + " VALUES (?, ?, 1, ?, 1, 1, now(), '{}')");
             PreparedStatement event = connection.prepareStatement("INSERT INTO " + schema + ".events"
                     + " (position, event_number, stream, type, data, metadata) VALUES (?, 1, ?, 'Happened', '{}', '{}')");
             PreparedStatement counter = connection.prepareStatement(
                     "UPDATE " + schema + ".global_position SET last = ?")) {
            commit.setLong(1, position);
            commit.setString(2, stream);
            commit.setObject(3, UUID.randomUUID());
            commit.executeUpdate();
            event.setLong(1, position);
            event.setString(2, stream);
            event.executeUpdate();
            counter.setLong(1, position);
            counter.executeUpdate();
        }
        last = position;
        return position;
    }

    /** Waits until a session of the schema's appender is blocked on the counter row's lock. */
    void awaitAnAppenderWaiting(Duration timeout) throws SQLException, InterruptedException {
        awaitAppendersWaiting(1, timeout);
    }

    /** Waits until {@code count} sessions of the schema's appender are blocked on the counter row's lock. */
    void awaitAppendersWaiting(int count, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection observer = TestPostgres.server().connect();
             PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
            // append_batch, or append_one for a batch of one
            waiting.setString(1, "%" + schema + ".append_%(%");
            while (System.nanoTime() < deadline) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getLong(1) >= count) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError(count + " appenders did not wait for the counter lock within " + timeout);
    }

    void commit() throws SQLException {
        connection.commit();
    }

    void rollback() throws SQLException {
        connection.rollback();
    }

    /** Rolls back whatever is still open and disconnects. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
