package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PendingAppend.Outcome;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Stores appends in batches, one transaction per batch, on writer threads of its own (group commit).
 *
 * <p><b>The global order.</b> A batch is one call of the {@code append_batch} function ({@link AppendBatchFunction})
 * in its own transaction. The function first locks the single row of {@code global_position}
 * ({@code SELECT last ... FOR UPDATE}), then reads the heads of its streams, decides each append, inserts the
 * commits that pass at positions {@code last + 1, last + 2, ...}, moves the counter to the last of them, and the
 * transaction commits. The row lock is held until the transaction ends, so every appender, in this process or any
 * other on the same database, waits for the one before it to commit or abort:
 * <ul>
 *   <li>positions are consecutive: a batch starts right after the counter that the previous batch committed, and
 *       an aborted batch rolls the counter back with its rows, so it leaves no hole;</li>
 *   <li>they become visible in order: PostgreSQL makes a transaction visible before it releases its locks, so a
 *       batch at higher positions can only take the lock, and commit, after every lower position is visible.
 *       Any snapshot that shows position p shows every position below p.</li>
 * </ul>
 * The heads are read by a statement that starts after the lock is granted, so it sees every commit made before
 * (in READ COMMITTED each statement of a volatile function takes a fresh snapshot); the expected revision and
 * commitId checks are exact. The lock is held for the server's work and the commit only: no round trip to this
 * process happens in between.
 *
 * <p><b>Throughput.</b> Serialising appenders would cost one transaction per commit; instead, appends that arrive
 * while a batch is being written wait in a queue and go together in the next batch, so a busy store commits many
 * appends per transaction. An append's conflict or duplicate is decided on its own and fails no other append of
 * its batch. When the database refuses a whole batch for one append's content (e.g. text that {@code jsonb}
 * does not accept), each append of the batch is written again on its own, so only that append fails.
 *
 * <p>{@link #WRITERS} threads take batches off the queue; were there several, their transactions would be serialised
 * by the counter lock like those of separate processes, so the reasoning above holds unchanged, and an append
 * acknowledged before another is queued still takes a lower position. Thread-safe. {@link #append} blocks its caller until the batch
 * holding the append has ended.
 */
final class GroupCommitAppender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitAppender.class.getName());
    private static final int MAX_BATCH_COMMITS = 1_000;
    private static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
    private static final long IDLE_POLL_MILLIS = 100;
    /**
     * Writer threads, each with its own transaction. One: a batch is a single call, so between two batches the
     * counter lock is free only while the writer reads the outcomes and sends the next batch, and everything
     * queued meanwhile goes in that batch. A second writer would wait for the lock with the appends that arrived
     * first, which halves the batches and doubles the transactions; measured (-Pbench), one writer stored about
     * twice the appends per second at 4 and 16 concurrent appenders.
     */
    static final int WRITERS = 1;

    private final Database db;
    private final BlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    /** Held by the writer that is taking a batch off the queue. */
    private final Object drainLock = new Object();
    private final List<Thread> writers = new ArrayList<>();
    private final AppendBatchFunction function;
    private volatile boolean accepting;
    private boolean started;

    GroupCommitAppender(Database db) {
        this.db = requireNonNull(db, "db must not be null");
        this.function = new AppendBatchFunction(db);
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
        List<Outcome> outcomes;
        try (Connection connection = db.connection()) {
            outcomes = function.call(connection, batch);
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
            batch.get(i).outcome().complete(outcomes.get(i));
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
