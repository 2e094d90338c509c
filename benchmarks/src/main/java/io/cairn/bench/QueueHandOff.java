package io.cairn.bench;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shape the ring replaces ({@code InProcessFastChannel}'s listener): an {@link ArrayBlockingQueue}, publishers
 * that {@code offer} (or {@code put}), one consumer thread that polls with a timeout so that it notices a stop.
 */
final class QueueHandOff implements HandOff {

    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<Hint> queue;
    private final Tally tally = new Tally();
    private final Thread consumer;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** @param capacity hints the queue holds */
    QueueHandOff(int capacity) {
        queue = new ArrayBlockingQueue<>(capacity);
        consumer = new Thread(this::consume, "cairn-bench-queue-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public boolean offer(Hint hint) {
        return queue.offer(hint);
    }

    @Override
    public void put(Hint hint) throws InterruptedException {
        queue.put(hint);
    }

    @Override
    public Consumed stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!queue.isEmpty() && consumer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            running = false; // the consumer finishes the hint it holds, if any, then sees this
            consumer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the queue's consumer", e);
        }
        if (failure != null) {
            throw new IllegalStateException("the queue's consumer failed", failure);
        }
        if (consumer.isAlive() || !queue.isEmpty()) {
            throw new IllegalStateException("the queue's consumer did not catch up and stop within " + timeout);
        }
        return tally.consumed(); // join orders the consumer's writes before this read
    }

    private void consume() {
        try {
            while (running) {
                Hint hint = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (hint != null) {
                    tally.take(hint);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }
}
