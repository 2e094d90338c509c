package io.cairn.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** How a rebuild's progress is shown: a progress bar on a terminal, or a line every few seconds. Not thread-safe. */
sealed interface Progress extends AutoCloseable permits Progress.Bar, Progress.Lines {

    /** The server's latest {@code rebuild} entry: {@code done}, {@code total}, {@code ratePerSecond}, ... */
    void update(JsonNode rebuild);

    /** The rebuild is done. */
    void done();

    @Override
    void close();

    /** {@code 1234/5000 commits (24.7%), 812.5/s, ETA 4.7 s}. */
    static String describe(JsonNode rebuild) {
        long done = rebuild.path("done").asLong();
        long total = rebuild.path("total").asLong();
        String percent = total > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total) : "";
        String eta = rebuild.path("etaSeconds").isNumber()
                ? String.format(Locale.ROOT, ", ETA %.1f s", rebuild.path("etaSeconds").asDouble()) : "";
        return String.format(Locale.ROOT, "generation %d %s: %d/%d commits%s, %.1f/s%s",
                rebuild.path("generation").asLong(), rebuild.path("state").asText(), done, total, percent,
                rebuild.path("ratePerSecond").asDouble(), eta);
    }

    /** A bar from {@code me.tongfei:progressbar}, with the server's rate and ETA. */
    final class Bar implements Progress {
        private final ProgressBar bar;
        private final AtomicReference<Optional<Duration>> eta = new AtomicReference<>(Optional.empty());

        Bar(String name, long generation, PrintStream stream) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName(name + " → gen " + generation)
                    .setInitialMax(-1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" commits", 1)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(stream))
                    .setEtaFunction(state -> eta.get())
                    .build();
        }

        @Override
        public void update(JsonNode rebuild) {
            long total = rebuild.path("total").asLong();
            if (total > 0) {
                bar.maxHint(total);
            }
            bar.stepTo(rebuild.path("done").asLong());
            if (rebuild.path("etaSeconds").isNumber()) {
                eta.set(Optional.of(Duration.ofMillis((long) (rebuild.path("etaSeconds").asDouble() * 1_000))));
            }
            bar.setExtraMessage(String.format(Locale.ROOT, "%.1f/s", rebuild.path("ratePerSecond").asDouble()));
        }

        @Override
        public void done() {
            if (bar.getMax() > 0) {
                bar.stepTo(bar.getMax());
            }
            eta.set(Optional.of(Duration.ZERO));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line per {@code everyMillis} at most, when not on a terminal (a log, CI). */
    final class Lines implements Progress {
        private final String name;
        private final PrintWriter out;
        private final long everyMillis;
        private long lastLine = Long.MIN_VALUE;

        Lines(String name, long generation, PrintWriter out, long everyMillis) {
            this.name = name;
            this.out = out;
            this.everyMillis = everyMillis;
        }

        @Override
        public void update(JsonNode rebuild) {
            long now = System.nanoTime() / 1_000_000;
            if (lastLine != Long.MIN_VALUE && now - lastLine < everyMillis
                    && !rebuild.path("state").asText().equals("stopped")) {
                return;
            }
            lastLine = now;
            out.println("rebuild " + name + ": " + describe(rebuild));
            out.flush();
        }

        @Override
        public void done() {
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
