package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes the durable channel's pollers when commits are appended, in this process or any other: a thread of its
 * own LISTENs on the store's channel, on a connection outside the pool, and every NOTIFY the appender sends in its
 * transaction bumps a version that pollers wait on. A lost connection is opened again after a pause, and the
 * pollers are woken then too, since notifications sent in between are lost. Pollers never rely on a wake-up
 * alone: they also poll at their interval. Each NOTIFY's payload is the last position of the batch that sent it
 * ({@code append_batch}); the highest one seen is kept, so a poller can tell whether a wake brings anything it
 * does not have yet ({@link #notifiedThroughSince}).
 *
 * <p>The thread starts with the first {@link #listen()}, so a process that only writes holds no extra connection.
 * Thread-safe.
 */
final class CommitNotifications implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CommitNotifications.class.getName());
    /** How long one wait for notifications lasts: how quickly {@link #close()} stops the thread. */
    private static final int WAIT_MILLIS = 250;

    private final Database db;
    private final Duration reconnectPause;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;
    /** The version of the last wake that named no position (a new connection, a close); under the lock. */
    private long blindVersion;
    /** The highest position a NOTIFY named; under the lock. */
    private long notifiedThrough;
    private Thread listener;
    private volatile boolean running;

    CommitNotifications(Database db, Duration reconnectPause) {
        this.db = requireNonNull(db, "db must not be null");
        this.reconnectPause = requireNonNull(reconnectPause, "reconnectPause must not be null");
    }

    /** Starts listening, if no earlier call did; returns at once. */
    void listen() {
        lock.lock();
        try {
            if (listener == null) {
                running = true;
                listener = new Thread(this::run, "cairn-postgres-listen");
                listener.setDaemon(true);
                listener.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The current version; pass it to {@link #awaitChange} to wait for anything newer. */
    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns when the version has moved past {@code seen}, or after {@code timeout}.
     *
     * @return whether it moved
     */
    boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (version == seen && left > 0) {
                left = changed.awaitNanos(left);
            }
            return version != seen;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The highest position notified so far, when every wake since version {@code seen} came from a NOTIFY; -1 when
     * one named no position (the connection was opened again, and what was sent meanwhile is unknown).
     */
    long notifiedThroughSince(long seen) {
        lock.lock();
        try {
            return blindVersion > seen ? -1 : notifiedThrough;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting poller, naming no position: each of them reads. */
    void wakeAll() {
        lock.lock();
        try {
            version++;
            blindVersion = version;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting poller for commits through {@code position} (the highest a NOTIFY named; -1 for none). */
    private void notified(long position) {
        lock.lock();
        try {
            version++;
            if (position < 0) {
                blindVersion = version;
            } else {
                notifiedThrough = Math.max(notifiedThrough, position);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening and closes the connection; waits for the thread to end. */
    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            running = false;
            thread = listener;
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try (Connection connection = db.dedicatedConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + db.notificationChannel());
                }
                wakeAll();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        notified(highestPosition(notifications));
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.WARNING, "LISTEN " + db.notificationChannel() + " failed; pollers fall back on"
                            + " their interval, reconnecting in " + reconnectPause.toMillis() + " ms: " + e.getMessage());
                    pause();
                }
            }
        }
    }

    /** The highest position the appends' payloads name (each is the last position of its batch); -1 if one names none. */
    private static long highestPosition(PGNotification[] notifications) {
        long highest = -1;
        for (PGNotification notification : notifications) {
            try {
                highest = Math.max(highest, Long.parseLong(notification.getParameter()));
            } catch (NumberFormatException e) {
                return -1; // not an append's: read, as for a wake that names nothing
            }
        }
        return highest;
    }

    private void pause() {
        long until = System.nanoTime() + reconnectPause.toNanos();
        while (running && System.nanoTime() < until) {
            try {
                TimeUnit.MILLISECONDS.sleep(Math.min(WAIT_MILLIS, reconnectPause.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
