package io.cairn.bench;

import io.cairn.bench.RingHandOffBenchmark.Kind;
import io.cairn.bench.RingHandOffBenchmark.WhenFull;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ring} subcommand: {@link RingHandOffBenchmark} through JMH's runner, which forks a JVM on this one's
 * class path (the shaded jar); JMH's own report goes to stderr, the table to stdout.
 */
@Command(name = "ring", mixinStandardHelpOptions = true,
        description = "Hints per second from one and two publishers to one consumer: the projector's Disruptor ring "
                + "against the ArrayBlockingQueue it replaces (JMH).")
final class RingCommand implements Callable<Integer> {

    @Option(names = "--forks", defaultValue = "1", description = "JVM forks per cell. Default: ${DEFAULT-VALUE}")
    int forks;

    @Option(names = "--warm-up-iterations", defaultValue = "3",
            description = "Warm-up iterations per cell. Default: ${DEFAULT-VALUE}")
    int warmUpIterations;

    @Option(names = "--iterations", defaultValue = "5",
            description = "Measured iterations per cell. Default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--iteration-millis", defaultValue = "1000",
            description = "Length of each iteration. Default: ${DEFAULT-VALUE}")
    long iterationMillis;

    /** One cell: a hand-off, what its publishers do when it is full, how many there are; rates per second. */
    record Row(Kind kind, WhenFull whenFull, int producers, double delivered, double deliveredError, double dropped) {

        double droppedShare() {
            double attempted = delivered + dropped;
            return attempted == 0 ? 0 : dropped / attempted;
        }

        static Row of(RunResult result) {
            Map<String, Result> counters = result.getSecondaryResults();
            Result delivered = counters.get("delivered");
            Result dropped = counters.get("dropped");
            return new Row(Kind.valueOf(result.getParams().getParam("handOff")),
                    WhenFull.valueOf(result.getParams().getParam("whenFull")), result.getParams().getThreads(),
                    delivered.getScore(), delivered.getScoreError(), dropped == null ? 0 : dropped.getScore());
        }
    }

    @Override
    public Integer call() throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(RingHandOffBenchmark.class.getName()) + "\\.")
                .forks(forks)
                .warmupIterations(warmUpIterations)
                .warmupTime(TimeValue.milliseconds(iterationMillis))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(iterationMillis))
                .shouldFailOnError(true)
                .build();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        long start = System.nanoTime();
        Collection<RunResult> results =
                new Runner(options, OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
        List<Row> rows = results.stream().map(Row::of).toList();
        System.out.print(table(rows));
        String jvm = System.getProperty("java.vm.name") + " " + Runtime.version();
        System.out.print(notes(os.getAvailableProcessors(), jvm, (System.nanoTime() - start) / 1e9, loadBefore,
                os.getSystemLoadAverage()));
        return 0;
    }

    /**
     * Delivered and dropped hints per second, by what publishers do when full, publisher count and hand-off; the
     * last column is the delivered rate over the {@code ArrayBlockingQueue}'s in the same mode and publisher count.
     */
    static String table(List<Row> rows) {
        List<Row> sorted = rows.stream()
                .sorted(Comparator.comparing(Row::whenFull).thenComparing(Row::producers).thenComparing(Row::kind))
                .toList();
        StringBuilder out = new StringBuilder();
        out.append("| when full | producers | hand-off | delivered / s | ± (99.9%) | dropped / s | dropped | "
                + "delivered vs queue |\n");
        out.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (Row row : sorted) {
            String versusQueue = sorted.stream()
                    .filter(other -> other.kind() == Kind.ARRAY_BLOCKING_QUEUE && other.whenFull() == row.whenFull()
                            && other.producers() == row.producers() && other.delivered() > 0)
                    .findFirst()
                    .map(queue -> String.format(Locale.ROOT, "%.2f×", row.delivered() / queue.delivered()))
                    .orElse("n/a");
            String error = Double.isNaN(row.deliveredError())
                    ? "n/a" // JMH gives no error for a single iteration
                    : String.format(Locale.ROOT, "%,.0f", row.deliveredError());
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %,.0f | %.0f%% | %s |%n",
                    row.whenFull().name().toLowerCase(Locale.ROOT), row.producers(), row.kind().label,
                    row.delivered(), error, row.dropped(), 100 * row.droppedShare(), versusQueue));
        }
        return out.toString();
    }

    static String notes(int cores, String jvm, double seconds, double loadBefore, double loadAfter) {
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format(Locale.ROOT, "%s, %d cores, %.0f s, load average %.1f before and %.1f after (other "
                        + "processes' share of the cores shows here). Capacity %,d entries (the fast channel's "
                        + "default); one consumer thread counts each hint and sums its revision; hints are "
                        + "pre-allocated records, so the measured path allocates nothing.%n",
                jvm, cores, seconds, loadBefore, loadAfter, RingHandOffBenchmark.CAPACITY));
        out.append("delivered = hand-offs that succeeded, each taken by the consumer (checked at the end of each "
                + "trial); drop = the publisher never waits (tryPublishEvent, offer) and a full hand-off drops; "
                + "wait = it waits for room (publishEvent, put), so nothing drops.\n");
        if (cores < 3) {
            out.append(String.format(Locale.ROOT, "Oversubscribed: two publishers and the consumer are three busy "
                    + "threads on %d core(s), so two-publisher cells measure the scheduler as much as the hand-off; "
                    + "the yielding ring's consumer also keeps a core busy when idle.%n", cores));
        }
        return out.toString();
    }
}
