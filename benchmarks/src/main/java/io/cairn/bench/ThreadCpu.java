package io.cairn.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * This JVM's CPU time by thread kind, from Linux's {@code /proc/self/task}: every native thread, the JIT compilers
 * and garbage collectors included (which {@link java.lang.management.ThreadMXBean} does not see), user and system
 * time together. A kind is the thread's name with its digits dropped ({@code JettyServerThr}, {@code C2 CompilerThre},
 * {@code GC Thread#}); Linux keeps the first 15 characters of a name.
 */
final class ThreadCpu {

    private static final double JIFFY_NANOS = 10_000_000;

    private ThreadCpu() {
    }

    /** CPU nanoseconds so far per thread id (with its kind), empty where {@code /proc} is not there. */
    static Map<String, Long> read() {
        Map<String, Long> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String kind = stat.substring(open + 1, close).replaceAll("[0-9]+", "").trim();
                    String[] fields = stat.substring(close + 2).split(" ");
                    long jiffies = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byThread.put(task.getFileName() + " " + kind, (long) (jiffies * JIFFY_NANOS));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byThread;
    }

    /** Cores busy per thread kind between two readings {@code wallNanos} apart, most first. */
    static Map<String, Double> since(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        Map<String, Double> byKind = new HashMap<>();
        after.forEach((thread, nanos) -> byKind.merge(thread.substring(thread.indexOf(' ') + 1),
                (nanos - before.getOrDefault(thread, 0L)) / (double) wallNanos, Double::sum));
        return byKind.entrySet().stream()
                .filter(entry -> entry.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** E.g. {@code JettyServerThr 0.91, C2 CompilerThre 0.30, ...}. */
    static String describe(Map<String, Double> cores) {
        return cores.entrySet().stream()
                .map(entry -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }
}
