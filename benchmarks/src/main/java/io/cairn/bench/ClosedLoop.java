package io.cairn.bench;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop measurement, shared by the threads that drive it: each thread calls {@link #loop} with its
 * command, which runs back to back until the end; only calls that started after the warm-up and ended before the
 * end are counted and timed (microseconds). Thread-safe.
 */
final class ClosedLoop {

    /** A command of the load; runs on the calling thread. */
    interface Call {
        void run() throws Exception;
    }

    private final Duration measure;
    private final long measureFrom;
    private final long end;
    private final LongAdder done = new LongAdder();
    private final Histogram latency = new Histogram(3_600_000_000L, 3);

    /** Starts now: {@code warmUp} unmeasured, then {@code measure} measured. */
    ClosedLoop(Duration warmUp, Duration measure) {
        this.measure = measure;
        this.measureFrom = System.nanoTime() + warmUp.toNanos();
        this.end = measureFrom + measure.toNanos();
    }

    /** Runs {@code call} back to back on this thread until the measurement ends. */
    void loop(Call call) throws Exception {
        Histogram own = new Histogram(3_600_000_000L, 3);
        while (true) {
            long before = System.nanoTime();
            if (before >= end) {
                break;
            }
            call.run();
            long after = System.nanoTime();
            if (before >= measureFrom && after <= end) {
                done.increment();
                own.recordValue(Math.max(1, (after - before) / 1_000));
            }
        }
        synchronized (latency) {
            latency.add(own);
        }
    }

    /** Calls counted. */
    long done() {
        return done.sum();
    }

    /** Calls counted per second of the measured time. */
    double perSecond() {
        return done.sum() / (measure.toNanos() / 1e9);
    }

    /** The counted calls' latencies, microseconds; read it once every thread has returned from {@link #loop}. */
    Histogram latency() {
        return latency;
    }
}
