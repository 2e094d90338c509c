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
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p><b>Who writes.</b> Every batch is taken off the queue and written under {@link #writing}, one at a time, by
 * whoever holds it. An append queues up, then tries the lock: when nobody is writing it writes the queue itself, on
 * its own thread, its own append last (no hand-off to another thread and back, which at low load cost more than the
 * rest of the append on a busy machine); when a batch is being written it wakes the writer thread, which takes the
 * queue as the next batch as soon as the lock is free. Either way a batch takes the queue in order and batches are
 * written one after the other, so an append acknowledged before another is queued still takes a lower position;
 * were there several writers, or several processes, their transactions would be serialised by the counter lock
 * anyway, so the reasoning above holds unchanged. Thread-safe. {@link #append} blocks its caller until the batch
 * holding the append has ended.
 */
final class GroupCommitAppender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommitAppender.class.getName());
    private static final int MAX_BATCH_COMMITS = 1_000;
    private static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
    /** How long an idle writer thread sleeps when nobody wakes it: a safety net, appends wake it. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Writer threads, each with its own transaction. One: a batch is a single call, so between two batches the
     * counter lock is free only while the writer reads the outcomes and sends the next batch, and everything
     * queued meanwhile goes in that batch. A second writer would wait for the lock with the appends that arrived
     * first, which halves the batches and doubles the transactions; measured (-Pbench), one writer stored about
     * twice the appends per second at 4 and 16 concurrent appenders.
     */
    static final int WRITERS = 1;

    private final Database db;
    private final Queue<PendingAppend> queue = new ConcurrentLinkedQueue<>();
    private final Object lifecycle = new Object();
    /** Held by whoever takes a batch off the queue and writes it: a writer thread, or an append on its own thread. */
    private final ReentrantLock writing = new ReentrantLock();
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
        if (writing.tryLock()) {
            try {
                // nobody else can take the queue now, and this append is in it: write until it is done
                while (!append.outcome().isDone()) {
                    List<PendingAppend> batch = drain();
                    if (batch.isEmpty()) {
                        break;
                    }
                    write(batch);
                }
            } finally {
                writing.unlock();
            }
            // appends queued meanwhile failed to get the lock and woke a writer; one more wake-up costs nothing
            if (!queue.isEmpty()) {
                wakeWriters();
            }
        } else {
            // queued before the lock was tried, so the holder's batch or the writer it wakes takes this append
            wakeWriters();
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

    private void wakeWriters() {
        for (Thread writer : writers) {
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        while (true) {
            if (queue.isEmpty()) {
                if (!accepting) {
                    // appends are queued only while accepting; one queued before may still be written on its own
                    // thread, which holds the lock until its batch has ended
                    writing.lock();
                    try {
                        if (queue.isEmpty()) {
                            return;
                        }
                    } finally {
                        writing.unlock();
                    }
                    continue;
                }
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            writing.lock();
            try {
                List<PendingAppend> batch = drain();
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } finally {
                writing.unlock();
            }
        }
    }

    /** The appends queued now, in order, up to the batch limits; the caller holds {@link #writing}. */
    private List<PendingAppend> drain() {
        List<PendingAppend> batch = new ArrayList<>();
        long bytes = 0;
        for (PendingAppend next = queue.peek();
             next != null && batch.size() < MAX_BATCH_COMMITS && (batch.isEmpty() || bytes + next.size() <= MAX_BATCH_BYTES);
             next = queue.peek()) {
            batch.add(queue.remove());
            bytes += next.size();
        }
        return batch;
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
