package io.cairn.bootstrap;

import io.cairn.application.Service;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread that writes snapshots for the command handler, off the acknowledgement path. Its
 * queue is bounded: when snapshots pile up faster than the store takes them, new ones are skipped (a snapshot only
 * saves reading, and the next command without a view asks again).
 */
final class SnapshotWriterService implements Service, Executor {

    private static final int QUEUE = 1_024;

    private volatile ThreadPoolExecutor executor;

    @Override
    public String name() {
        return "snapshot writer";
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "cairn-snapshot-writer");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.AbortPolicy());
        }
    }

    /** @throws RejectedExecutionException when the queue is full or the writer is not running */
    @Override
    public void execute(Runnable task) {
        ThreadPoolExecutor running = executor;
        if (running == null) {
            throw new RejectedExecutionException("the snapshot writer is not running");
        }
        running.execute(task);
    }

    /** Finishes the snapshot in progress (briefly) and drops the queued ones. */
    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
