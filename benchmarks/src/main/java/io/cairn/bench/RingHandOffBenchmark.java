package io.cairn.bench;

import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.cairn.bench.HandOff.Consumed;
import io.cairn.bench.HandOff.Hint;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many hints per second one consumer thread receives from one or two publishers, through the projector's
 * Disruptor ring or through the {@link java.util.concurrent.ArrayBlockingQueue} it replaces. Each trial starts a
 * hand-off of {@value #CAPACITY} entries (the fast channel's default buffer) with its consumer thread, and stops it
 * at the end after checking that the consumer caught up; the JMH threads are the publishers.
 *
 * <p>The primary score counts attempts. What matters is in the counters: {@code delivered} (hand-offs that
 * succeeded; the consumer takes each) and {@code dropped} (a full ring or queue refused the hint). With
 * {@link WhenFull#DROP} a publisher never waits, as the fast channel's publishers do, so past the consumer's pace
 * the attempts are mostly drops; {@link WhenFull#WAIT} waits for room instead and so measures the hand-off at the
 * consumer's pace with no drop path.
 *
 * <p>Run it with {@code java -jar benchmarks/target/cairn-benchmarks.jar ring}, which prints the table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RingHandOffBenchmark {

    /** Entries in the ring or queue: {@code InProcessFastChannel}'s default, a power of two as the ring needs. */
    public static final int CAPACITY = 8_192;

    /** The consumer's wait timeout on the ring, and its poll timeout on the queue (the fast channel's). */
    static final long TIMEOUT_MILLIS = 100;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The hand-offs compared. */
    public enum Kind {
        /** The projector's: multi-producer ring, the consumer parks on a lock when idle, publishers signal it. */
        RING_LITE_TIMEOUT("ring, lite timeout blocking") {
            @Override
            HandOff start(int capacity) {
                return new RingHandOff(capacity, new LiteTimeoutBlockingWaitStrategy(TIMEOUT_MILLIS,
                        TimeUnit.MILLISECONDS));
            }
        },
        /** For reference: the consumer spins and yields when idle, holding a core. */
        RING_YIELDING("ring, yielding") {
            @Override
            HandOff start(int capacity) {
                return new RingHandOff(capacity, new YieldingWaitStrategy());
            }
        },
        /** The old shape: {@code offer}/{@code put}, the consumer polls with a timeout. */
        ARRAY_BLOCKING_QUEUE("ArrayBlockingQueue") {
            @Override
            HandOff start(int capacity) {
                return new QueueHandOff(capacity);
            }
        };

        final String label;

        Kind(String label) {
            this.label = label;
        }

        abstract HandOff start(int capacity);
    }

    /** What a publisher does when the hand-off is full. */
    public enum WhenFull {
        /** Drops the hint and counts it: the fast channel's behaviour ({@code tryPublishEvent}, {@code offer}). */
        DROP,
        /** Waits for room ({@code publishEvent}, {@code put}): every attempt is delivered. */
        WAIT
    }

    @Param({"RING_LITE_TIMEOUT", "RING_YIELDING", "ARRAY_BLOCKING_QUEUE"})
    public Kind handOff;

    @Param({"DROP", "WAIT"})
    public WhenFull whenFull;

    private final Queue<Delivery> publishers = new ConcurrentLinkedQueue<>();
    private HandOff running;

    @Setup(Level.Trial)
    public void start() {
        running = handOff.start(CAPACITY);
    }

    /** Every publisher has stopped (JMH's barrier before tear-down): the consumer must take what they handed over. */
    @TearDown(Level.Trial)
    public void stop() {
        Consumed consumed = running.stop(STOP_TIMEOUT);
        long accepted = publishers.stream().mapToLong(delivery -> delivery.deliveredInTrial).sum();
        if (consumed.count() == 0 || consumed.count() != accepted) {
            throw new IllegalStateException(handOff + " consumed " + consumed.count() + " hints in the trial; its "
                    + publishers.size() + " publisher(s) handed over " + accepted);
        }
    }

    @Benchmark
    @Threads(1)
    public void oneProducer(Publisher publisher, Delivery delivery) throws InterruptedException {
        publish(publisher.next(), delivery);
    }

    @Benchmark
    @Threads(2)
    public void twoProducers(Publisher publisher, Delivery delivery) throws InterruptedException {
        publish(publisher.next(), delivery);
    }

    private void publish(Hint hint, Delivery delivery) throws InterruptedException {
        if (whenFull == WhenFull.WAIT) {
            running.put(hint);
            delivery.delivered++;
            delivery.deliveredInTrial++;
        } else if (running.offer(hint)) {
            delivery.delivered++;
            delivery.deliveredInTrial++;
        } else {
            delivery.dropped++;
        }
    }

    /** A publisher's hints, made before the trial so that the measured path allocates nothing. */
    @State(Scope.Thread)
    public static class Publisher {
        private static final int HINTS = 1_024;

        private final Hint[] hints = new Hint[HINTS];
        private int next;

        @Setup(Level.Trial)
        public void prepare() {
            for (int i = 0; i < HINTS; i++) {
                hints[i] = new Hint("account-" + (i % 64), i + 1L);
            }
        }

        Hint next() {
            Hint hint = hints[next];
            next = (next + 1) & (HINTS - 1);
            return hint;
        }
    }

    /**
     * Per publisher and iteration, JMH reports each public field as a rate next to the attempts. They also count
     * what happens in JMH's brief synchronisation of the threads around each iteration, which its clock leaves out
     * (well under 1% here: compare delivered + dropped with the attempts).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivery {
        public long delivered;
        public long dropped;
        /** Not a counter (not public): what this publisher handed over in the whole trial, for {@link #stop}. */
        long deliveredInTrial;

        @Setup(Level.Trial)
        public void register(RingHandOffBenchmark benchmark) {
            benchmark.publishers.add(this);
        }

        @Setup(Level.Iteration)
        public void reset() {
            delivered = 0;
            dropped = 0;
        }
    }
}
