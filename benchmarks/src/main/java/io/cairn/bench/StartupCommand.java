package io.cairn.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code startup} subcommand: {@code java -jar <jar>} as a child process to its first {@code 200} on
 * {@code /health}, on the embedded default (DynamoDB Local in a data directory of its own) and a free port, then
 * SIGTERM. With {@code --compare} the jars take turns, so a machine that gets busier or quieter during the run
 * affects both alike. Each round also times the JVM alone ({@code java -cp} the first jar and a class that
 * returns at once), the ceiling no start-up goes below, so every figure is also a ratio within one run.
 *
 * <p>By default each jar's data directory is created by one start before the measured ones (not counted), so the
 * runs find their tables there, as a restarted service does; {@code --fresh} gives every run an empty one.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "java -jar to the first 200 on /health (embedded DynamoDB Local, free port), jars alternating, "
                + "beside the JVM alone.")
final class StartupCommand implements Callable<Integer> {

    @Option(names = "--jar", required = true, description = "The runnable jar, e.g. bootstrap/target/cairn.jar")
    Path jar;

    @Option(names = "--compare", description = "Another runnable jar, started in turn with --jar (e.g. main's); "
            + "repeatable")
    List<Path> compare = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "5", description = "Measured starts per jar. Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(names = "--fresh", description = "An empty data directory for every start (tables created each time)")
    boolean fresh;

    @Option(names = "--jvm-arg", description = "A JVM option for the jars' starts (not the ceiling's), repeatable")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--timeout-seconds", defaultValue = "60",
            description = "A start that has not answered 200 by then fails the run. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Option(names = "--keep", description = "Keep the temporary directory (data directories, each start's output)")
    boolean keep;

    /** The JVM's ceiling: started with {@code java -cp <jar>:<this class's folder>}, returns at once. */
    static final class ExitAtOnce {
        public static void main(String[] args) {
            // nothing: the JVM's own start and exit, and opening a jar, are what is timed
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Path> jars = new ArrayList<>(List.of(jar.toAbsolutePath()));
        compare.stream().map(Path::toAbsolutePath).forEach(jars::add);
        for (Path each : jars) {
            if (!Files.isRegularFile(each)) {
                throw new IllegalArgumentException("no such jar: " + each);
            }
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        Path work = Files.createTempDirectory("cairn-startup-");
        try {
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, Integer> failed = new LinkedHashMap<>();
            List<String> labels = labels(jars);
            String ceiling = "JVM alone (java -cp " + labels.get(0) + ", a class that returns)";
            for (int i = 0; i < jars.size(); i++) {
                seconds.put(labels.get(i), new ArrayList<>());
                cpu.put(labels.get(i), new ArrayList<>());
                if (!fresh) {
                    Path data = work.resolve("data-" + i);
                    Start first = startToHealth(jars.get(i), data, work.resolve("warm-up-" + i + ".log"));
                    System.err.printf(Locale.ROOT, "... %s: warm-up start (creates the tables) %.2f s%n",
                            labels.get(i), first.seconds());
                }
            }
            seconds.put(ceiling, new ArrayList<>());
            for (int run = 1; run <= runs; run++) {
                // the order rotates every round, so neither jar always starts right after the other
                for (int k = 0; k < jars.size(); k++) {
                    int i = (k + run) % jars.size();
                    Path data = fresh ? work.resolve("data-" + i + "-" + run) : work.resolve("data-" + i);
                    Start s;
                    try {
                        s = startToHealth(jars.get(i), data, work.resolve("run-" + i + "-" + run + ".log"));
                    } catch (IllegalStateException e) {
                        // counted, not fatal: on a busy machine a start can fail, and how often is a result too
                        failed.merge(labels.get(i), 1, Integer::sum);
                        System.err.printf(Locale.ROOT, "... run %d, %s: FAILED: %s%n", run, labels.get(i),
                                e.getMessage().lines().limit(3).toList());
                        continue;
                    }
                    seconds.get(labels.get(i)).add(s.seconds());
                    cpu.get(labels.get(i)).add(s.cpu());
                    System.err.printf(Locale.ROOT, "... run %d, %s: %.2f s (%.2f s CPU)%n", run, labels.get(i),
                            s.seconds(), s.cpu());
                }
                double jvm = jvmAlone(jars.get(0), work, work.resolve("ceiling-" + run + ".log"));
                seconds.get(ceiling).add(jvm);
                System.err.printf(Locale.ROOT, "... run %d, JVM alone: %.2f s%n", run, jvm);
            }
            System.out.print(table(seconds, cpu, labels.get(0), ceiling));
            failed.forEach((label, n) -> System.out.printf(Locale.ROOT, "%n%s: %d of %d starts failed (not in the "
                    + "table)%n", label, n, runs));
            System.out.printf(Locale.ROOT, "%n%d runs each, %s data directory; %d CPUs, load average %.2f before, "
                            + "%.2f after; %s%n", runs, fresh ? "a fresh" : "an existing", os.getAvailableProcessors(),
                    loadBefore, os.getSystemLoadAverage(), System.getProperty("java.vm.name") + " "
                            + Runtime.version());
            return 0;
        } finally {
            if (keep) {
                System.err.println("... kept " + work);
            } else {
                ScratchDirectory.deleteRecursively(work);
            }
        }
    }

    /** Names the jars by their paths, which differ even when their file names do not. */
    private static List<String> labels(List<Path> jars) {
        Path cwd = Path.of("").toAbsolutePath();
        return jars.stream().map(j -> j.startsWith(cwd) ? cwd.relativize(j).toString() : j.toString()).toList();
    }

    /**
     * Starts {@code java -jar jar} with its data in {@code data} and HTTP on a free port, polls {@code /health}
     * until it answers {@code 200}, sends SIGTERM and waits for the exit.
     *
     * @return seconds from just before the process starts to the first 200, and the CPU seconds the process had
     *         used by then (all its threads; what a busy machine changes less than the wall-clock time)
     */
    private Start startToHealth(Path jar, Path data, Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CAIRN_HTTP_PORT", Integer.toString(port));
        builder.environment().put("CAIRN_DATA_DIR", data.toString());
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long start = System.nanoTime();
        Process process = builder.start();
        // a benchmark stopped with Ctrl-C or SIGTERM leaves no service behind
        Thread reaper = new Thread(process::destroyForcibly, "startup-child-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (status(health) != 200) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(jar + " exited with " + process.exitValue() + " before /health "
                            + "answered 200; its output:\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(jar + " did not answer 200 on /health within " + timeoutSeconds
                            + " s; its output:\n" + tail(log));
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            return new Start(seconds, cpu);
        } finally {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    /**
     * The JVM's own start and exit with {@code jar} first on its class path (opened, and searched for the class),
     * running a class that returns at once: the ceiling.
     */
    private double jvmAlone(Path jar, Path work, Path log) throws IOException, InterruptedException {
        Path classes = work.resolve("ceiling-classes");
        String name = ExitAtOnce.class.getName();
        Path file = classes.resolve(name.replace('.', '/') + ".class");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            try (InputStream in = ExitAtOnce.class.getResourceAsStream(
                    "/" + name.replace('.', '/') + ".class")) {
                Files.copy(in, file);
            }
        }
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java(), "-cp", jar + File.pathSeparator + classes, name)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("the JVM alone exited with " + exit + ":\n" + tail(log));
        }
        return seconds;
    }

    /** One start: wall-clock seconds to the first 200, and CPU seconds used by then. */
    record Start(double seconds, double cpu) {
    }

    /** The status of a GET, or -1 when nothing answers yet. */
    private static int status(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the service's shutdown hook runs
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Min, median and max seconds per row; each row's median over the first's and over the ceiling's; the median
     * CPU seconds (none for the ceiling, which is gone before it could be read).
     */
    static String table(Map<String, List<Double>> seconds, Map<String, List<Double>> cpu, String first,
                        String ceiling) {
        double firstMedian = median(seconds.get(first));
        double ceilingMedian = median(seconds.get(ceiling));
        StringBuilder out = new StringBuilder();
        out.append("| started | min | median | max | median vs ").append(first)
                .append(" | median vs JVM alone | CPU by then (median) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        seconds.forEach((label, values) -> {
            if (values.isEmpty()) {
                return; // every start failed
            }
            List<Double> sorted = values.stream().sorted().toList();
            double median = median(values);
            List<Double> cpus = cpu.getOrDefault(label, List.of());
            out.append(String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f s | %.2f× | %.1f× | %s |%n", label,
                    sorted.get(0), median, sorted.get(sorted.size() - 1), median / firstMedian,
                    median / ceilingMedian, cpus.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f s",
                            median(cpus))));
        });
        return out.toString();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
