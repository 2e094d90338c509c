package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PendingAppend.Outcome;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.postgresql.PGConnection;

/**
 * Stores appends in batches, one transaction per batch, on writer threads of its own (group commit).
 *
 * <p><b>The global order.</b> A batch's transaction first locks the single row of {@code global_position}
 * ({@code SELECT last ... FOR UPDATE}), then reads the heads of its streams, decides each append
 * ({@link BatchPlan}), inserts the commits that pass at positions {@code last + 1, last + 2, ...}, moves the
 * counter to the last of them and commits. The row lock is held until the transaction ends, so every appender, in
 * this process or any other on the same database, waits for the one before it to commit or abort:
 * <ul>
 *   <li>positions are consecutive: a batch starts right after the counter that the previous batch committed, and
 *       an aborted batch rolls the counter back with its rows, so it leaves no hole;</li>
 *   <li>they become visible in order: PostgreSQL makes a transaction visible before it releases its locks, so a
 *       batch at higher positions can only take the lock, and commit, after every lower position is visible.
 *       Any snapshot that shows position p shows every position below p.</li>
 * </ul>
 * The heads are read by a statement that starts after the lock is granted, so it sees every commit made before
 * (in READ COMMITTED each statement takes a fresh snapshot); the expected revision and commitId checks are exact.
 *
 * <p><b>Throughput.</b> Serialising appenders would cost one transaction per commit; instead, appends that arrive
 * while a batch is being written wait in a queue and go together in the next batch, so a busy store commits many
 * appends per transaction. An append's conflict or duplicate is decided on its own and fails no other append of
 * its batch. When the database refuses a whole batch for one append's content (e.g. text that {@code jsonb}
 * does not accept), each append of the batch is written again on its own, so only that append fails.
 *
 * <p>{@link #WRITERS} threads take batches off the queue; their transactions are serialised by the counter lock
 * like those of separate processes, so the reasoning above holds unchanged, and an append acknowledged before
 * another is queued still takes a lower position. Thread-safe. {@link #append} blocks its caller until the batch
 * holding the append has ended.
 */
final class GroupCommitAppender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitAppender.class.getName());
    private static final int MAX_BATCH_COMMITS = 1_000;
    private static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
    private static final long IDLE_POLL_MILLIS = 100;
    /**
     * Writer threads, each with its own transaction: while one holds the counter lock, the next has its batch
     * ready and waits for the lock, so hand-over costs no round trip. More would only make smaller batches.
     */
    static final int WRITERS = 2;

    private static final String LOCK_COUNTER = "SELECT last FROM {schema}.global_position FOR UPDATE";

    /**
     * For each append: its stream's head, and the position of a stored commit of that stream with its id. Both are
     * lateral subqueries with a LIMIT, which the planner cannot turn into a join: each stays an index lookup,
     * whatever it guesses about the arrays (a hash join over the whole table made every batch slower than the last).
     */
    private static final String READ_HEADS = """
            SELECT h.revision, h.last_event_number, d.position
            FROM unnest(?::text[], ?::uuid[]) WITH ORDINALITY AS a(stream, commit_id, i)
            LEFT JOIN LATERAL (
                SELECT c.revision, c.first_event_number + c.event_count - 1 AS last_event_number
                FROM {schema}.commits c
                WHERE c.stream = a.stream
                ORDER BY c.revision DESC
                LIMIT 1) h ON true
            LEFT JOIN LATERAL (
                SELECT d.position
                FROM {schema}.commits d
                WHERE d.stream = a.stream AND d.commit_id = a.commit_id
                LIMIT 1) d ON true
            ORDER BY a.i""";

    /** Inserts a batch's commits and events, moves the counter and wakes the listeners, in one statement. */
    private static final String INSERT_BATCH = """
            WITH new_commits AS (
                INSERT INTO {schema}.commits
                    (position, stream, revision, commit_id, first_event_number, event_count, recorded_at, metadata)
                SELECT c.position, c.stream, c.revision, c.commit_id, c.first_event_number, c.event_count, ?,
                       c.metadata::jsonb
                FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::uuid[], ?::bigint[], ?::integer[], ?::text[])
                    AS c(position, stream, revision, commit_id, first_event_number, event_count, metadata)
            ), new_events AS (
                INSERT INTO {schema}.events (position, event_number, stream, type, data, metadata)
                SELECT e.position, e.event_number, e.stream, e.type, e.data::jsonb, e.metadata::jsonb
                FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                    AS e(position, event_number, stream, type, data, metadata)
            ), counter AS (
                UPDATE {schema}.global_position SET last = ?
            )
            SELECT pg_notify(?, ?)""";

    private final Database db;
    private final Clock clock;
    private final BlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    /** Held by the writer that is taking a batch off the queue. */
    private final Object drainLock = new Object();
    private final List<Thread> writers = new ArrayList<>();
    private final String lockCounter;
    private final String readHeads;
    private final String insertBatch;
    private volatile boolean accepting;
    private boolean started;

    GroupCommitAppender(Database db, Clock clock) {
        this.db = requireNonNull(db, "db must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.lockCounter = db.sql(LOCK_COUNTER);
        this.readHeads = db.sql(READ_HEADS);
        this.insertBatch = db.sql(INSERT_BATCH);
        for (int i = 1; i <= WRITERS; i++) {
            Thread writer = new Thread(this::run, "cairn-postgres-appender-" + i);
            writer.setDaemon(true);
            writers.add(writer);
        }
    }

    /** Starts the writer threads. An appender starts once. */
    void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("the appender was started before; create a new one");
            }
            started = true;
            accepting = true;
            writers.forEach(Thread::start);
        }
    }

    /**
     * Queues the append and waits until its batch's transaction has ended.
     *
     * @throws StoreUnavailableException when the database failed or could not be reached (the append may or may
     *                                   not have been stored), or the calling thread was interrupted while waiting
     * @throws InvalidInputException     when PostgreSQL refused the commit's content (nothing was stored)
     * @throws IllegalStateException     when the appender is not running
     */
    Outcome append(StreamId stream, ExpectedRevision expected, Commit commit) {
        PendingAppend append = PendingAppend.of(stream, expected, commit);
        synchronized (lifecycle) {
            if (!accepting) {
                throw new IllegalStateException("the PostgreSQL event store is not started (or already stopped)");
            }
            queue.add(append);
        }
        try {
            return append.outcome().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("appending to " + stream + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the append to " + stream
                    + " to be stored; it may or may not have been, and retrying with the same commitId is safe", e);
        }
    }

    /** Stops taking appends, writes the ones queued, and stops the writer threads. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!accepting) {
                return;
            }
            accepting = false;
        }
        try {
            for (Thread writer : writers) {
                writer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            List<PendingAppend> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                // nobody interrupts these threads; if someone does, keep serving the queue until close()
                continue;
            }
            if (batch.isEmpty()) {
                // appends are queued only while accepting, so once it is false an empty queue stays empty
                if (!accepting && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            write(batch);
        }
    }

    /** The appends queued now, up to the batch limits; waits a little for one when there is none. */
    private List<PendingAppend> nextBatch() throws InterruptedException {
        synchronized (drainLock) {
            PendingAppend first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            List<PendingAppend> batch = new ArrayList<>();
            batch.add(first);
            long bytes = first.size();
            for (PendingAppend next = queue.peek();
                 next != null && batch.size() < MAX_BATCH_COMMITS && bytes + next.size() <= MAX_BATCH_BYTES;
                 next = queue.peek()) {
                batch.add(queue.remove());
                bytes += next.size();
            }
            return batch;
        }
    }

    private void write(List<PendingAppend> batch) {
        BatchPlan plan;
        try (Connection connection = db.connection()) {
            plan = store(connection, batch);
        } catch (SQLException e) {
            if (batch.size() > 1 && !SqlErrors.isTransient(e)) {
                LOG.log(Level.DEBUG, "a batch of " + batch.size() + " appends was refused; writing each alone", e);
                for (PendingAppend append : batch) {
                    write(List.of(append));
                }
            } else {
                fail(batch, append -> failure(append, e));
            }
            return;
        } catch (RuntimeException e) {
            fail(batch, append -> e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(plan.outcome(i));
        }
    }

    private BatchPlan store(Connection connection, List<PendingAppend> batch) throws SQLException {
        connection.setAutoCommit(false);
        try {
            long last = lockCounter(connection);
            Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            BatchPlan plan = BatchPlan.decide(batch, readHeads(connection, batch), last, recordedAt);
            if (!plan.toStore().isEmpty()) {
                insert(connection, plan, recordedAt);
            }
            connection.commit();
            return plan;
        } catch (SQLException | RuntimeException e) {
            Database.rollbackQuietly(connection, e);
            throw e;
        }
    }

    private long lockCounter(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockCounter);
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("the row of " + db.sql("{schema}.global_position")
                        + " is missing: the schema was changed outside Cairn's migrations");
            }
            return row.getLong(1);
        }
    }

    private List<BatchPlan.Stored> readHeads(Connection connection, List<PendingAppend> batch) throws SQLException {
        String[] streams = new String[batch.size()];
        UUID[] commitIds = new UUID[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            streams[i] = batch.get(i).stream().value();
            commitIds[i] = batch.get(i).commit().commitId();
        }
        List<BatchPlan.Stored> heads = new ArrayList<>(batch.size());
        try (PreparedStatement statement = connection.prepareStatement(readHeads)) {
            statement.setArray(1, connection.createArrayOf("text", streams));
            statement.setArray(2, connection.createArrayOf("uuid", commitIds));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long revision = rows.getLong(1);
                    long lastEventNumber = rows.getLong(2);
                    long duplicate = rows.getLong(3);
                    OptionalLong duplicatePosition = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(duplicate);
                    heads.add(new BatchPlan.Stored(revision, lastEventNumber, duplicatePosition));
                }
            }
        }
        return heads;
    }

    private void insert(Connection connection, BatchPlan plan, Instant recordedAt) throws SQLException {
        List<RecordedCommit> commits = plan.toStore();
        int eventCount = commits.stream().mapToInt(c -> c.events().size()).sum();
        long[] positions = new long[commits.size()];
        String[] streams = new String[commits.size()];
        long[] revisions = new long[commits.size()];
        UUID[] commitIds = new UUID[commits.size()];
        long[] firstEventNumbers = new long[commits.size()];
        int[] eventCounts = new int[commits.size()];
        String[] commitMetadata = new String[commits.size()];
        long[] eventPositions = new long[eventCount];
        long[] eventNumbers = new long[eventCount];
        String[] eventStreams = new String[eventCount];
        String[] types = new String[eventCount];
        String[] data = new String[eventCount];
        String[] eventMetadata = new String[eventCount];
        int e = 0;
        for (int c = 0; c < commits.size(); c++) {
            RecordedCommit commit = commits.get(c);
            positions[c] = commit.position().getAsLong();
            streams[c] = commit.stream().value();
            revisions[c] = commit.revision();
            commitIds[c] = commit.commitId();
            firstEventNumbers[c] = commit.firstEventNumber();
            eventCounts[c] = commit.events().size();
            commitMetadata[c] = JsonText.objectOf(commit.metadata());
            for (int i = 0; i < commit.events().size(); i++, e++) {
                EventData event = commit.events().get(i);
                eventPositions[e] = positions[c];
                eventNumbers[e] = commit.firstEventNumber() + i;
                eventStreams[e] = streams[c];
                types[e] = event.type();
                data[e] = event.data();
                eventMetadata[e] = event.metadata();
            }
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PreparedStatement statement = connection.prepareStatement(insertBatch)) {
            int p = 1;
            statement.setObject(p++, OffsetDateTime.ofInstant(recordedAt, ZoneOffset.UTC));
            statement.setArray(p++, pg.createArrayOf("int8", positions));
            statement.setArray(p++, connection.createArrayOf("text", streams));
            statement.setArray(p++, pg.createArrayOf("int8", revisions));
            statement.setArray(p++, connection.createArrayOf("uuid", commitIds));
            statement.setArray(p++, pg.createArrayOf("int8", firstEventNumbers));
            statement.setArray(p++, pg.createArrayOf("int4", eventCounts));
            statement.setArray(p++, connection.createArrayOf("text", commitMetadata));
            statement.setArray(p++, pg.createArrayOf("int8", eventPositions));
            statement.setArray(p++, pg.createArrayOf("int8", eventNumbers));
            statement.setArray(p++, connection.createArrayOf("text", eventStreams));
            statement.setArray(p++, connection.createArrayOf("text", types));
            statement.setArray(p++, connection.createArrayOf("text", data));
            statement.setArray(p++, connection.createArrayOf("text", eventMetadata));
            statement.setLong(p++, plan.lastPosition());
            statement.setString(p++, db.notificationChannel());
            statement.setString(p, Long.toString(plan.lastPosition()));
            statement.executeQuery().close();
        }
    }

    private static RuntimeException failure(PendingAppend append, SQLException e) {
        if (SqlErrors.isDataException(e)) {
            return new InvalidInputException("commit", "PostgreSQL refused the commit to " + append.stream()
                    + " (its event data and metadata must be JSON that jsonb accepts): " + e.getMessage());
        }
        return SqlErrors.translate("appending to " + append.stream(), e);
    }

    private static void fail(List<PendingAppend> batch, Function<PendingAppend, RuntimeException> failure) {
        for (PendingAppend append : batch) {
            append.outcome().completeExceptionally(failure.apply(append));
        }
    }
}
