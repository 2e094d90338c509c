package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The fast channel within one process: each listener has a bounded buffer and a thread of its own, so a
 * publisher never waits for a listener. A full buffer drops the commit for that listener; the durable channel
 * brings it later.
 */
public final class InProcessFastChannel implements FastChannel {

    private static final System.Logger LOG = System.getLogger(InProcessFastChannel.class.getName());

    private final int capacity;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public InProcessFastChannel() {
        this(8_192);
    }

    public InProcessFastChannel(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void publish(RecordedCommit commit) {
        requireNonNull(commit, "commit must not be null");
        published.incrementAndGet();
        for (Listener listener : listeners) {
            if (!listener.buffer.offer(commit)) {
                dropped.incrementAndGet();
            }
        }
    }

    @Override
    public Subscription listen(Consumer<RecordedCommit> consumer) {
        Listener listener = new Listener(requireNonNull(consumer, "consumer must not be null"), capacity);
        listeners.add(listener);
        listener.thread.start();
        return () -> {
            listeners.remove(listener);
            listener.stop();
        };
    }

    /** Commits handed to {@link #publish}. */
    public long published() {
        return published.get();
    }

    /** Deliveries dropped because a listener's buffer was full. */
    public long dropped() {
        return dropped.get();
    }

    private static final class Listener {
        final BlockingQueue<RecordedCommit> buffer;
        final Thread thread;
        volatile boolean running = true;

        Listener(Consumer<RecordedCommit> consumer, int capacity) {
            this.buffer = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(() -> run(consumer), "cairn-fast-channel");
            this.thread.setDaemon(true);
        }

        private void run(Consumer<RecordedCommit> consumer) {
            while (running) {
                try {
                    RecordedCommit commit = buffer.poll(100, TimeUnit.MILLISECONDS);
                    if (commit != null) {
                        consumer.accept(commit);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // a hint that failed costs latency only: the durable channel delivers the commit again
                    LOG.log(Level.WARNING, "fast-channel listener failed; the durable channel will catch up", e);
                }
            }
        }

        void stop() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
