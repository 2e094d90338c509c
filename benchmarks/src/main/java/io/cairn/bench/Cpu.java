package io.cairn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the machine's CPU went during a run: this JVM's own CPU time, and the machine's busy time (Linux
 * {@code /proc/stat}) less that, i.e. every other process, including a store server running as a child process.
 * On a small machine shared with other work, the second says how undisturbed a measurement was.
 */
final class Cpu {

    /** Linux's USER_HZ: the unit of {@code /proc/stat}. */
    private static final double JIFFY_NANOS = 10_000_000;

    private Cpu() {
    }

    /** A point in time; fields are -1 where unknown. */
    record Reading(long wallNanos, long processNanos, long machineBusyNanos) {
        Usage since(Reading before) {
            double wall = wallNanos - before.wallNanos;
            double jvm = processNanos < 0 || before.processNanos < 0 ? Double.NaN
                    : (processNanos - before.processNanos) / wall;
            double machine = machineBusyNanos < 0 || before.machineBusyNanos < 0 ? Double.NaN
                    : (machineBusyNanos - before.machineBusyNanos) / wall;
            return new Usage(jvm, machine);
        }
    }

    /** Mean cores busy over an interval. */
    record Usage(double jvmCores, double machineCores) {
        String jvm() {
            return format(jvmCores);
        }

        String others() {
            return format(Math.max(0, machineCores - jvmCores));
        }

        private static String format(double cores) {
            return Double.isNaN(cores) ? "n/a" : String.format(Locale.ROOT, "%.2f", cores);
        }
    }

    static Reading read() {
        return new Reading(System.nanoTime(), processNanos(), machineBusyNanos());
    }

    private static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long machineBusyNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] fields = first.trim().split("\\s+");
            if (!fields[0].equals("cpu")) {
                return -1;
            }
            long busy = 0;
            // user nice system idle iowait irq softirq: all but idle and iowait (steal is no one's here)
            for (int i = 1; i <= Math.min(7, fields.length - 1); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return (long) (busy * JIFFY_NANOS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
