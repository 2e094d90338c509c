package io.cairn.postgres.bench;

import io.cairn.application.port.EventStore;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PostgresSettings;
import io.cairn.postgres.PostgresStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Append throughput and latency of 1-event commits with 1, 4 and 16 concurrent writers, against the ceiling of
 * the same server: one plain INSERT per transaction at the same concurrency. Starts embedded PostgreSQL with
 * durable commits ({@code fsync} and {@code synchronous_commit} on, as in production), warms up, measures each
 * configuration for a fixed time and prints a Markdown table, with Cairn's mean commits per transaction (its batch
 * size, over the whole run). Cairn writes through its one appender connection, the ceiling through one connection
 * per writer. Run it with
 * {@code mvn -B -q -pl adapters-postgres -am -Pbench -DskipTests verify}; {@code -Dbench.seconds} and
 * {@code -Dbench.warmupSeconds} change the durations (10 and 3 by default).
 */
public final class AppendBenchmark {

    private static final int[] WRITERS = {1, 4, 16};

    private final Duration measure;
    private final Duration warmup;
    private final String jdbcUrl;

    private AppendBenchmark(String jdbcUrl, Duration measure, Duration warmup) {
        this.jdbcUrl = jdbcUrl;
        this.measure = measure;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 3));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .start()) {
            new AppendBenchmark(postgres.getJdbcUrl("postgres", "postgres"), measure, warmup).run();
        }
    }

    private void run() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int writers : WRITERS) {
            String schema = "bench_cairn_" + writers;
            Result cairn = measureCairn(writers, schema);
            double commitsPerTransaction = commitsPerTransaction(schema);
            Result plain = measurePlainInserts(writers);
            rows.add(String.format(Locale.ROOT, "| %d | %,.0f | %.2f | %.2f | %.1f | %,.0f | %.2f | %.2f | %.2f |",
                    writers, cairn.perSecond(), cairn.p50Millis(), cairn.p99Millis(), commitsPerTransaction,
                    plain.perSecond(), plain.p50Millis(), plain.p99Millis(), cairn.perSecond() / plain.perSecond()));
        }
        System.out.println();
        System.out.println("Append of 1-event commits, " + measure.toSeconds() + " s per configuration after "
                + warmup.toSeconds() + " s of warm-up; embedded PostgreSQL, fsync and synchronous_commit on; "
                + Runtime.getRuntime().availableProcessors() + " cores shared by client and server.");
        System.out.println();
        System.out.println("| writers | Cairn events/s | Cairn p50 ms | Cairn p99 ms | Cairn commits/tx "
                + "| plain INSERT tx/s | INSERT p50 ms | INSERT p99 ms | Cairn / INSERT |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** Each writer appends to a stream of its own, at its exact revision, through the group-commit appender. */
    private Result measureCairn(int writers, String schema) throws Exception {
        PostgresSettings settings = PostgresSettings.of(jdbcUrl, "postgres", "")
                .withSchema(schema)
                .withPoolSize(4);
        try (PostgresStores stores = PostgresStores.open(settings)) {
            EventStore store = stores.eventStore();
            return drive(writers, writer -> {
                StreamId stream = StreamId.of("bench", writer + "-" + UUID.randomUUID());
                long[] revision = {0};
                return () -> {
                    store.append(stream, ExpectedRevision.exactly(revision[0]), oneEventCommit());
                    revision[0]++;
                };
            });
        }
    }

    /** The mean batch over the whole run, warm-up included: commits per transaction that stored any. */
    private double commitsPerTransaction(String schema) throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT count(*)::float8 / count(DISTINCT xmin::text) FROM " + schema + ".commits")) {
            row.next();
            return row.getDouble(1);
        }
    }

    /** The ceiling: each writer on a connection of its own, one INSERT per (auto-committed) transaction. */
    private Result measurePlainInserts(int writers) throws Exception {
        String table = "bench_plain_" + writers;
        try (Connection setup = connect(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, stream text NOT NULL,"
                    + " type text NOT NULL, data jsonb NOT NULL)");
        }
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                connections.add(connect());
            }
            return drive(writers, writer -> {
                PreparedStatement insert = connections.get(writer).prepareStatement(
                        "INSERT INTO " + table + " (stream, type, data) VALUES (?, ?, ?::jsonb)");
                String stream = "bench-" + writer;
                return () -> {
                    insert.setString(1, stream);
                    insert.setString(2, "Deposited");
                    insert.setString(3, "{\"amount\":10}");
                    insert.executeUpdate();
                };
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static Commit oneEventCommit() {
        return Commit.of(UUID.randomUUID(), new EventData("Deposited", "{\"amount\":10}"));
    }

    /** Runs the writers through warm-up, then measures them; latencies of the measured operations only. */
    private Result drive(int writers, WriterFactory factory) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            List<Future<long[]>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Operation operation = factory.create(w);
                results.add(threads.submit((Callable<long[]>) () -> {
                    Latencies latencies = new Latencies();
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        operation.run();
                        long done = System.nanoTime();
                        if (now >= measureFrom) {
                            latencies.add(done - now);
                        }
                    }
                    return latencies.toArray();
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> result : results) {
                all.add(result.get());
            }
            long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(merged.length / (measure.toNanos() / 1e9), percentile(merged, 0.50),
                    percentile(merged, 0.99));
        } finally {
            threads.shutdownNow();
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    private record Result(double perSecond, double p50Millis, double p99Millis) {
    }

    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface WriterFactory {
        Operation create(int writer) throws Exception;
    }

    /** A growable array of nanosecond latencies. */
    private static final class Latencies {
        private long[] values = new long[1 << 14];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
