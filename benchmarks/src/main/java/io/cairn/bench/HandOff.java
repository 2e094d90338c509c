package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Hints handed from any number of publishers to one consumer thread: the fast channel's hand-off, in the two shapes
 * {@link RingHandOffBenchmark} compares. The consumer does trivial work per hint (counts it and sums its revision),
 * so that what is measured is the hand-off.
 */
interface HandOff {

    /** What the fast channel carries: small and immutable, like a recorded commit's stream and revision. */
    record Hint(String stream, long revision) {
        public Hint {
            requireNonNull(stream, "stream must not be null");
        }
    }

    /** What the consumer took: how many hints, and the sum of their revisions. */
    record Consumed(long count, long revisionSum) { }

    /**
     * Hands a hint over if there is room, without waiting. Thread-safe.
     *
     * @param hint not null
     * @return false when full: the hint is dropped, as the fast channel drops it
     */
    boolean offer(Hint hint);

    /**
     * Hands a hint over, waiting for room. Thread-safe.
     *
     * @param hint not null
     * @throws InterruptedException if interrupted while waiting
     */
    void put(Hint hint) throws InterruptedException;

    /**
     * Lets the consumer take everything handed over, then stops it. Call once, after every publisher has returned.
     *
     * @param timeout how long to wait for the consumer to catch up and stop
     * @return what the consumer took, from start to stop
     * @throws IllegalStateException if the consumer failed or did not stop within the timeout
     */
    Consumed stop(Duration timeout);

    /** The consumer's trivial work. Confined to the consumer thread; read after it has stopped. */
    final class Tally {
        private long count;
        private long revisionSum;

        void take(Hint hint) {
            count++;
            revisionSum += hint.revision();
        }

        Consumed consumed() {
            return new Consumed(count, revisionSum);
        }
    }
}
