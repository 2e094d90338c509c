package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Closed loops on several threads, started together a moment from now, run for an unmeasured while, then measured
 * for a fixed time: how the {@code postgres}, {@code dynamodb} and {@code http} benchmarks time a cell. Only
 * operations that end inside the measured window are counted; a successful one is timed (microseconds).
 */
final class TimedLoops {

    /** One operation of a loop, on loop thread {@code thread}; false when it failed (counted, not timed). */
    @FunctionalInterface
    interface Operation {
        boolean run(int thread) throws Exception;
    }

    /** What the calling thread does when the measured window opens and closes, while the loops run. */
    interface Window {
        Window NONE = new Window() {
        };

        default void opened() throws Exception {
        }

        default void closed() throws Exception {
        }
    }

    /** What the loops did: operations that succeeded, that failed, and the successful ones' latencies. */
    record Outcome(long operations, long failures, Histogram latency) {
    }

    private TimedLoops() {
    }

    /** Runs {@code operation} back to back on {@code threads} threads for {@code measure}, all of it measured. */
    static Outcome run(int threads, Duration measure, Operation operation) throws Exception {
        return run(threads, Duration.ofMillis(20), Duration.ZERO, measure, Executors.defaultThreadFactory(), operation,
                Window.NONE);
    }

    /**
     * Runs {@code operation} back to back on {@code threads} threads made by {@code threadFactory}: they start
     * together {@code lead} from now, run {@code unmeasured}, then {@code measure}, and {@code window} is told on
     * the calling thread when the measured part opens and closes.
     */
    static Outcome run(int threads, Duration lead, Duration unmeasured, Duration measure, ThreadFactory threadFactory,
                       Operation operation, Window window) throws Exception {
        long start = System.nanoTime() + lead.toNanos();
        long from = start + unmeasured.toNanos();
        long until = from + measure.toNanos();
        Histogram[] latencies = new Histogram[threads];
        AtomicLong operations = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads, threadFactory);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                latencies[t] = new Histogram(60_000_000L, 3);
                running.add(pool.submit(() -> {
                    HttpLoad.sleepUntil(start);
                    long done = 0;
                    long failed = 0;
                    while (true) {
                        long began = System.nanoTime();
                        if (began >= until) {
                            break;
                        }
                        boolean ok = operation.run(thread);
                        long ended = System.nanoTime();
                        if (ended >= from && ended < until) {
                            if (ok) {
                                done++;
                                latencies[thread].recordValue(Math.max(1, (ended - began) / 1_000));
                            } else {
                                failed++;
                            }
                        }
                    }
                    operations.addAndGet(done);
                    failures.addAndGet(failed);
                    return null;
                }));
            }
            HttpLoad.sleepUntil(from);
            window.opened();
            HttpLoad.sleepUntil(until);
            window.closed();
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Histogram latency = new Histogram(60_000_000L, 3);
        for (Histogram each : latencies) {
            latency.add(each);
        }
        return new Outcome(operations.get(), failures.get(), latency);
    }

    /** Runs every piece of {@code work} on a pool of {@code threads} and waits for all; the first failure is thrown. */
    static void parallel(int threads, List<Runnable> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable each : work) {
                running.add(pool.submit(each));
            }
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The machine's load average over 1 and 5 minutes, from {@code /proc/loadavg}; "?" where there is none. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1];
        } catch (IOException e) {
            return "?";
        }
    }
}
