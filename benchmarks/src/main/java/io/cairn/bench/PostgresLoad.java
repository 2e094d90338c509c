package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.CommandOutcome;
import io.cairn.application.port.EventStore;
import io.cairn.bootstrap.AggregateRuntime;
import io.cairn.bootstrap.Cairn;
import io.cairn.bootstrap.CairnConfig;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.postgres.PostgresSettings;
import io.cairn.postgres.PostgresStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * PostgreSQL: what a command costs against the server's own ceiling, all in one run on one embedded server
 * ({@code fsync} and {@code synchronous_commit} on, as shipped). The cells, each measured in every round:
 * <ul>
 *   <li><b>ceiling</b>: one prepared single-row {@code INSERT} per (auto-committed) transaction, one connection per
 *       thread, at 1 and at {@code threads} connections;</li>
 *   <li><b>append</b>: {@link EventStore#append} of a 1-event commit alone, in a schema of its own (no projector),
 *       each writer on a stream of its own at its exact revision, at 1 and {@code threads} writers;</li>
 *   <li><b>floor</b>: what Cairn's storage layout writes for an append and nothing else, at 1 connection: one
 *       auto-committed statement that moves the {@code global_position} counter (taking its row lock) and inserts
 *       the commit row and its event row, in the append cell's schema, with the revision known to the client. No
 *       head or duplicate lookup, no decision, no function: a lower bound for any append to this layout, against
 *       which the append and command cells can be read;</li>
 *   <li><b>command</b>: a deposit through {@link Cairn#aggregate} on a Cairn started as the jar starts it (every
 *       domain on the class path with its projectors, the document projections and the live feed; HTTP on a free
 *       loopback port), at 1 thread on streams of each length, then at {@code threads} threads each on accounts
 *       of its own; and at 1 thread with a pause between commands (low load).</li>
 * </ul>
 * Every latency is reported with its ratio to the same round's 1-connection ceiling, every throughput with its
 * ratio to the ceiling at the same concurrency. Before each command cell the projections are caught up.
 */
final class PostgresLoad {

    /** The schema of the append and floor cells, with Cairn's tables and no projector. */
    private static final String APPEND_SCHEMA = "bench_append";

    /**
     * @param threads        the concurrent cells' threads (connections, writers, command threads)
     * @param lengths        stream lengths of the 1-thread command cells, in commits
     * @param commands       commands per 1-thread command cell and round
     * @param accounts       accounts of the concurrent command cell, shared round-robin by its threads
     * @param warmUp         how long each cell's warm-up runs, once before the first round
     * @param measure        each timed cell (ceiling, append, concurrent commands)
     * @param rounds         how often every cell is measured
     * @param pause          the pause between commands of the low-load cell
     * @param pausedCommands commands of the low-load cell
     * @param profile        sample wait events and print {@code pg_stat_statements} per cell
     */
    record Settings(int threads, List<Integer> lengths, int commands, int accounts, Duration warmUp,
                    Duration measure, int rounds, Duration pause, int pausedCommands, boolean profile) {
        Settings {
            requireNonNull(lengths, "lengths must not be null");
            if (threads < 1 || accounts < threads || commands < 1 || rounds < 1) {
                throw new IllegalArgumentException("threads, commands and rounds must be >= 1, accounts >= threads");
            }
        }
    }

    /** One measured cell. */
    record Cell(int round, String path, int threads, String detail, long operations, long failures,
                Histogram latency, Duration window, double jvmMicrosPerOperation, double serverMicrosPerOperation,
                String loadAverage, String profile) {

        double perSecond() {
            return operations / (window.toNanos() / 1e9);
        }

        double p50() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }


    private final Settings settings;
    private final Consumer<String> progress;
    /** What the idle service used, measured once per run. */
    private String idle = "";

    PostgresLoad(Settings settings, Consumer<String> progress) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.progress = requireNonNull(progress, "progress must not be null");
    }

    /** Starts the server, runs every round, stops everything; the cells in the order measured. */
    List<Cell> run() throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100");
        if (settings.profile()) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    // the statements inside append_batch and write_derived too, each marked as nested
                    .setServerConfig("pg_stat_statements.track", "all");
        }
        try (EmbeddedPostgres server = builder.start()) {
            String url = server.getJdbcUrl("postgres", "postgres");
            if (settings.profile()) {
                try (Connection c = connect(url); Statement s = c.createStatement()) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
            ScratchDirectory dataDir = ScratchDirectory.create("cairn-pg-bench-");
            Map<String, String> config = new HashMap<>(HttpLoad.config(HttpLoad.Store.POSTGRES, dataDir.path()));
            config.put("cairn.postgres.url", url);
            config.put("cairn.postgres.user", "postgres");
            config.put("cairn.postgres.password", "");
            PostgresSettings appendSettings = PostgresSettings.of(url, "postgres", "").withSchema(APPEND_SCHEMA);
            try (dataDir;
                 Cairn cairn = Cairn.builder().config(CairnConfig.of(config)).domainsFromClassPath().start();
                 PostgresStores appendStores = PostgresStores.open(appendSettings)) {
                return new Run(url, cairn, appendStores.eventStore()).all();
            }
        }
    }

    /** The idle service's CPU, once {@link #run} has returned. */
    String idle() {
        return idle;
    }

    /**
     * The cells as Markdown: every round, with the ratios the issue asks about, and what the cell's CPU per operation
     * allows on this machine's cores: a closed loop cannot complete operations faster than every core's time divided
     * by what one costs (the JVM's and the server's), so at 16 threads its ops/s ÷ INSERT is at most
     * {@code cores / CPU per op ÷ INSERT tx/s}, and at one thread its mean latency ÷ INSERT p50 at least
     * {@code CPU per op / cores ÷ INSERT p50}.
     */
    static String table(List<Cell> cells, Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Embedded PostgreSQL, fsync and synchronous_commit on; %d cores shared by "
                        + "client and server; %d round(s); timed cells %d s after %d s of warm-up each%n%n",
                Runtime.getRuntime().availableProcessors(), settings.rounds(), settings.measure().toSeconds(),
                settings.warmUp().toSeconds()));
        out.append("| round | path | threads | detail | ops/s | p50 ms | p99 ms | p50 ÷ INSERT p50 (1 thread, the last before) "
                + "| ops/s ÷ INSERT tx/s (same threads) | JVM CPU µs / op | server CPU µs / op "
                + "| CPU allows: ops/s ÷ INSERT at most (16 threads), mean ÷ INSERT p50 at least (1 thread) "
                + "| load avg (1, 5 min) | failures |\n");
        out.append("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Cell single = ceiling(cells, i, 1);
            Cell same = ceiling(cells, i, cell.threads());
            double cpuMicros = cell.jvmMicrosPerOperation() + cell.serverMicrosPerOperation();
            String allowed = cell.detail().startsWith("paced") || same == null || cpuMicros <= 0 ? ""
                    : cell.threads() == 1
                    ? String.format(Locale.ROOT, "≥ %.2f×", cpuMicros / cores / 1000 / single.p50())
                    : String.format(Locale.ROOT, "≤ %.2f×", cores * 1e6 / cpuMicros / same.perSecond());
            out.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %,.0f | %.3f | %.3f | %.2f× | %s | %.0f | %.0f | %s | %s | %d |%n",
                    cell.round(), cell.path(), cell.threads(), cell.detail(), cell.perSecond(), cell.p50(),
                    cell.p99(), cell.p50() / single.p50(),
                    same == null || cell.detail().startsWith("paced") || cell.path().equals("command")
                            && cell.threads() == 1 ? "" : String.format(Locale.ROOT, "%.2f×",
                            cell.perSecond() / same.perSecond()),
                    cell.jvmMicrosPerOperation(), cell.serverMicrosPerOperation(), allowed, cell.loadAverage(),
                    cell.failures()));
        }
        boolean profiled = cells.stream().anyMatch(cell -> !cell.profile().isEmpty());
        if (profiled) {
            out.append("\nProfile per cell (PostgreSQL wait events sampled every 5 ms in pg_stat_activity, share of "
                    + "samples per active backend kind; then pg_stat_statements, top statements by total time):\n");
            for (Cell cell : cells) {
                out.append(String.format(Locale.ROOT, "%n#### round %d, %s, %d thread(s), %s%n%n%s", cell.round(),
                        cell.path(), cell.threads(), cell.detail(), cell.profile()));
            }
        }
        return out.toString();
    }

    /** The ceiling at {@code threads} measured last before (or as) cell {@code index}: the one next to it. */
    private static Cell ceiling(List<Cell> cells, int index, int threads) {
        for (int i = index; i >= 0; i--) {
            Cell cell = cells.get(i);
            if (cell.path().equals("ceiling") && cell.threads() == threads) {
                return cell;
            }
        }
        return null;
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** One run's state: the server, the running Cairn, the seeded streams. */
    private final class Run {
        private final String url;
        private final Cairn cairn;
        private final EventStore appendStore;
        private final AggregateRuntime<AccountCommand, AccountEvent, AccountState> accounts;
        private final URI base;
        private final Map<Integer, List<String>> byLength = new LinkedHashMap<>();
        private final List<String> many = new ArrayList<>();
        private final Map<Integer, AtomicLong> nextOfLength = new HashMap<>();
        private final List<Cell> cells = new ArrayList<>();
        private final AtomicLong tableNumber = new AtomicLong();
        private final Path dataDirectory;

        Run(String url, Cairn cairn, EventStore appendStore) {
            this.url = url;
            this.cairn = cairn;
            this.appendStore = appendStore;
            this.accounts = cairn.aggregate(AccountsDomain.ACCOUNTS);
            this.base = URI.create("http://127.0.0.1:" + cairn.httpPort());
            try (Connection c = connect(url); Statement s = c.createStatement();
                 ResultSet row = s.executeQuery("SHOW data_directory")) {
                row.next();
                this.dataDirectory = Path.of(row.getString(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        List<Cell> all() throws Exception {
            seed();
            Thread.sleep(1_000);
            long jvm0 = jvmNanos();
            long server0 = serverNanos(dataDirectory);
            long wall0 = System.nanoTime();
            Thread.sleep(3_000);
            long wall = System.nanoTime() - wall0;
            idle = String.format(Locale.ROOT, "Idle (Cairn running, nothing to do, 3 s): JVM %.3f cores, server %.3f"
                    + " cores", (jvmNanos() - jvm0) / (double) wall, (serverNanos(dataDirectory) - server0)
                    / (double) wall);
            progress.accept(idle);
            progress.accept("warming up every cell for " + settings.warmUp().toSeconds() + " s");
            ceiling(0, 1, settings.warmUp());
            ceiling(0, settings.threads(), settings.warmUp());
            append(0, 1, settings.warmUp());
            append(0, settings.threads(), settings.warmUp());
            floor(0, settings.warmUp());
            commandsConcurrent(0, settings.warmUp());
            commandsConcurrent(0, settings.warmUp());
            for (int round = 1; round <= settings.rounds(); round++) {
                add(ceiling(round, 1, settings.measure()));
                add(ceiling(round, settings.threads(), settings.measure()));
                add(append(round, 1, settings.measure()));
                add(append(round, settings.threads(), settings.measure()));
                // every floor and command cell has a short ceiling right before it, which its ratios are to
                Duration adjacent = Duration.ofSeconds(2);
                add(ceiling(round, 1, adjacent));
                add(floor(round, settings.measure()));
                for (int length : settings.lengths()) {
                    add(ceiling(round, 1, adjacent));
                    add(commandsAtLength(round, length));
                }
                add(ceiling(round, 1, adjacent));
                add(commandsPaced(round));
                add(ceiling(round, settings.threads(), adjacent));
                add(commandsConcurrent(round, settings.measure()));
            }
            return cells;
        }

        private void add(Cell cell) {
            cells.add(cell);
            progress.accept(String.format(Locale.ROOT, "round %d %s x%d %s: %,.0f/s p50 %.3f ms p99 %.3f ms, "
                            + "load %s", cell.round(), cell.path(), cell.threads(), cell.detail(),
                    cell.perSecond(), cell.p50(), cell.p99(), cell.loadAverage()));
        }

        /**
         * Accounts for every cell, opened and deposited to through the command handler itself. The 1-thread cells'
         * streams are enough that every round's commands together lengthen none by more than 10 %.
         */
        private void seed() throws Exception {
            int totalCommands = settings.commands() * settings.rounds();
            List<Runnable> work = new ArrayList<>();
            List<Integer> longestFirst = new ArrayList<>(settings.lengths());
            longestFirst.sort(java.util.Comparator.reverseOrder());
            for (int length : longestFirst) {
                int streams = (int) Math.max(1, Math.ceil(totalCommands / (0.1 * length)));
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    ids.add("l" + length + "-" + i);
                }
                byLength.put(length, ids);
                nextOfLength.put(length, new AtomicLong());
                for (String id : ids) {
                    work.add(() -> seedOne(id, length));
                }
            }
            for (int i = 0; i < settings.accounts(); i++) {
                String id = "m-" + i;
                many.add(id);
                work.add(() -> seedOne(id, 1));
            }
            StringBuilder lengths = new StringBuilder();
            byLength.forEach((length, ids) -> lengths.append(ids.size()).append(" of ").append(length).append(", "));
            long began = System.nanoTime();
            progress.accept("seeding through the command handler: " + lengths + settings.accounts() + " of 1");
            TimedLoops.parallel(settings.threads(), work);
            progress.accept(String.format(Locale.ROOT, "seeded in %.1f s; waiting for the projections",
                    (System.nanoTime() - began) / 1e9));
            caughtUp(Duration.ofMinutes(5));
        }

        private void seedOne(String id, int length) {
            expect(accounts.handle(id, UUID.randomUUID(), new OpenAccount("bench-" + (id.hashCode() & 63), "EUR", 0)));
            for (int i = 1; i < length; i++) {
                expect(accounts.handle(id, UUID.randomUUID(), new Deposit(1)));
            }
        }

        private void expect(CommandOutcome outcome) {
            if (!(outcome instanceof CommandOutcome.Accepted)) {
                throw new IllegalStateException("a seeding command was refused: " + outcome);
            }
        }

        /** The ceiling: each thread on a connection of its own, one prepared INSERT per transaction. */
        private Cell ceiling(int round, int threads, Duration measure) throws Exception {
            String table = "bench_plain_" + tableNumber.incrementAndGet();
            try (Connection setup = connect(url); Statement statement = setup.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, stream text NOT NULL,"
                        + " type text NOT NULL, data jsonb NOT NULL)");
            }
            List<Connection> connections = new ArrayList<>();
            try {
                List<PreparedStatement> inserts = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Connection connection = connect(url);
                    connections.add(connection);
                    inserts.add(connection.prepareStatement(
                            "INSERT INTO " + table + " (stream, type, data) VALUES (?, ?, ?::jsonb)"));
                }
                return timed(round, "ceiling", threads, "INSERT, 1 row / tx", measure, thread -> {
                    PreparedStatement insert = inserts.get(thread);
                    insert.setString(1, "bench-" + thread);
                    insert.setString(2, "Deposited");
                    insert.setString(3, "{\"amount\":10}");
                    insert.executeUpdate();
                    return true;
                });
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
        }

        /** {@code EventStore.append} alone: each writer on a stream of its own at its exact revision. */
        private Cell append(int round, int threads, Duration measure) throws Exception {
            StreamId[] streams = new StreamId[threads];
            long[] revisions = new long[threads];
            for (int i = 0; i < threads; i++) {
                streams[i] = StreamId.of("bench", round + "-" + threads + "-" + i + "-" + UUID.randomUUID());
            }
            return timed(round, "append", threads, "EventStore.append, 1 event", measure, thread -> {
                appendStore.append(streams[thread], ExpectedRevision.exactly(revisions[thread]),
                        Commit.of(UUID.randomUUID(), new EventData("Deposited", "{\"amount\":10}")));
                revisions[thread]++;
                return true;
            });
        }

        /**
         * The layout's floor: one statement per append that takes the counter's row lock by moving it and inserts
         * the commit and its one event at that position, on a stream of its own whose revision the client counts.
         */
        private Cell floor(int round, Duration measure) throws Exception {
            String schema = APPEND_SCHEMA;
            String stream = "bench-floor-" + round + "-" + UUID.randomUUID();
            long[] revision = {0};
            try (Connection connection = connect(url);
                 PreparedStatement append = connection.prepareStatement("WITH moved AS ("
                         + "UPDATE " + schema + ".global_position SET last = last + 1 RETURNING last), "
                         + "stored AS (INSERT INTO " + schema + ".commits (position, stream, revision, commit_id, "
                         + "first_event_number, event_count, recorded_at, metadata) "
                         + "SELECT moved.last, ?, ?, ?, ?, 1, clock_timestamp(), '{}'::jsonb FROM moved "
                         + "RETURNING position) "
                         + "INSERT INTO " + schema + ".events (position, event_number, stream, type, data, metadata, "
                         + "version) SELECT stored.position, ?, ?, 'Deposited', ?::jsonb, '{}'::jsonb, 1 "
                         + "FROM stored")) {
                return timed(round, "floor", 1, "counter + commit row + event row, 1 statement / tx", measure,
                        thread -> {
                            long next = ++revision[0];
                            append.setString(1, stream);
                            append.setLong(2, next);
                            append.setObject(3, UUID.randomUUID());
                            append.setLong(4, next);
                            append.setLong(5, next);
                            append.setString(6, stream);
                            append.setString(7, "{\"amount\":10}");
                            return append.executeUpdate() == 1;
                        });
            }
        }

        /** One thread, a fixed number of deposits round the streams of {@code length} commits. */
        private Cell commandsAtLength(int round, int length) throws Exception {
            List<String> ids = byLength.get(length);
            AtomicLong next = nextOfLength.get(length);
            return counted(round, "command", 1, "stream of " + String.format(Locale.ROOT, "%,d", length),
                    settings.commands(), Duration.ZERO,
                    () -> deposit(ids.get((int) (next.getAndIncrement() % ids.size()))));
        }

        /** One thread, deposits with a pause between them: the low-load cell. */
        private Cell commandsPaced(int round) throws Exception {
            AtomicLong next = new AtomicLong();
            return counted(round, "command", 1, "paced " + settings.pause().toMillis() + " ms, many streams",
                    settings.pausedCommands(), settings.pause(),
                    () -> deposit(many.get((int) (next.getAndIncrement() % many.size()))));
        }

        /** {@code threads} threads, each round accounts of its own, so that no two commands race for a stream. */
        private Cell commandsConcurrent(int round, Duration measure) throws Exception {
            int threads = settings.threads();
            long[] sequence = new long[threads];
            int owned = many.size() / threads;
            return timed(round, "command", threads, many.size() + " streams", measure,
                    thread -> deposit(many.get(thread + (int) (sequence[thread]++ % owned) * threads)));
        }

        private boolean deposit(String id) {
            return accounts.handle(id, UUID.randomUUID(), new Deposit(1)) instanceof CommandOutcome.Accepted;
        }

        /** A closed loop on {@code threads} threads for {@code measure}; the projections caught up first. */
        private Cell timed(int round, String path, int threads, String detail, Duration measure, TimedLoops.Operation operation)
                throws Exception {
            caughtUp(Duration.ofSeconds(60));
            Probe probe = new Probe(round > 0);
            TimedLoops.Outcome outcome = TimedLoops.run(threads, measure, operation);
            long operations = outcome.operations();
            String profile = probe.finish(operations);
            return new Cell(round, path, threads, detail, operations, outcome.failures(), outcome.latency(), measure,
                    probe.jvmMicros(operations), probe.serverMicros(operations), TimedLoops.loadAverage(), profile);
        }

        /** {@code count} operations on this thread, one at a time, {@code pause} between them. */
        private Cell counted(int round, String path, int threads, String detail, int count, Duration pause,
                             Counted operation) throws Exception {
            caughtUp(Duration.ofSeconds(60));
            Probe probe = new Probe(round > 0);
            Histogram latency = new Histogram(60_000_000L, 3);
            long failed = 0;
            long busy = 0;
            for (int i = 0; i < count; i++) {
                long began = System.nanoTime();
                boolean ok = operation.run();
                long took = System.nanoTime() - began;
                busy += took;
                if (ok) {
                    latency.recordValue(Math.max(1, took / 1_000));
                } else {
                    failed++;
                }
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
            String profile = probe.finish(latency.getTotalCount());
            // the window is the time spent in commands, so ops/s is 1 / mean latency (for the paced cell too)
            return new Cell(round, path, threads, detail, latency.getTotalCount(), failed, latency,
                    Duration.ofNanos(busy), probe.jvmMicros(latency.getTotalCount()),
                    probe.serverMicros(latency.getTotalCount()), TimedLoops.loadAverage(), profile);
        }

        /** Waits until every projection has stored what it received, from {@code GET /projections}. */
        private void caughtUp(Duration limit) throws Exception {
            long behind = ProjectionBacklog.awaitCaughtUp(base, limit, Duration.ofMillis(50));
            if (behind > 0) {
                progress.accept("projections still " + behind + " commits behind; measuring anyway");
            }
        }

        /** When profiling: PostgreSQL's wait events, sampled during a cell, and its statements. */
        private final class Probe {
            private final Map<String, Long> waits = new HashMap<>();
            private final Thread sampler;
            private volatile boolean sampling = true;
            private long samples;
            private final long jvm0 = jvmNanos();
            private final long server0 = serverNanos(dataDirectory);
            private long jvm1;
            private long server1;

            Probe(boolean measured) throws Exception {
                if (measured && settings.profile()) {
                    try (Connection c = connect(url); Statement s = c.createStatement()) {
                        s.execute("SELECT pg_stat_statements_reset()");
                    }
                    sampler = new Thread(this::sample, "pg-wait-sampler");
                    sampler.setDaemon(true);
                    sampler.start();
                } else {
                    sampler = null;
                }
            }

            /** The profile of the cell, {@code operations} done; empty when not profiling. */
            String finish(long operations) throws Exception {
                jvm1 = jvmNanos();
                server1 = serverNanos(dataDirectory);
                if (sampler == null) {
                    return "";
                }
                sampling = false;
                sampler.join();
                return describeWaits() + statements(operations);
            }

            double jvmMicros(long operations) {
                return (jvm1 - jvm0) / 1e3 / Math.max(1, operations);
            }

            double serverMicros(long operations) {
                return (server1 - server0) / 1e3 / Math.max(1, operations);
            }

            private void sample() {
                try (Connection c = connect(url);
                     PreparedStatement s = c.prepareStatement("""
                             SELECT coalesce(backend_type, '?') || ' ' || coalesce(application_name, '') || ': '
                                    || coalesce(wait_event_type || '/' || wait_event, 'CPU')
                                    || ' (' || coalesce(state, '') || ')'
                             FROM pg_stat_activity
                             WHERE pid <> pg_backend_pid() AND coalesce(wait_event_type, '') <> 'Activity'
                               AND coalesce(state, '') <> 'idle'""")) {
                    while (sampling) {
                        try (ResultSet rows = s.executeQuery()) {
                            while (rows.next()) {
                                waits.merge(rows.getString(1), 1L, Long::sum);
                            }
                        }
                        samples++;
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    progress.accept("wait-event sampling failed: " + e);
                }
            }

            private String describeWaits() {
                StringBuilder out = new StringBuilder("| backend: wait event (state) | backends in it, mean |\n"
                        + "|---|---:|\n");
                waits.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                        .forEach(e -> out.append(String.format(Locale.ROOT, "| %s | %.2f |%n", e.getKey(),
                                e.getValue() / (double) Math.max(1, samples))));
                return out.append('\n').toString();
            }

            private String statements(long operations) throws SQLException {
                StringBuilder out = new StringBuilder(
                        "| statement (⤷: run inside a function) | calls / op | mean ms | server ms / op | rows / call |\n"
                        + "|---|---:|---:|---:|---:|\n");
                try (Connection c = connect(url); Statement s = c.createStatement();
                     ResultSet rows = s.executeQuery("""
                             SELECT CASE WHEN toplevel THEN '' ELSE '⤷ ' END
                                        || regexp_replace(left(query, 80), '\\s+', ' ', 'g'),
                                    calls, mean_exec_time, total_exec_time, rows
                             FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%'
                             ORDER BY total_exec_time DESC LIMIT 16""")) {
                    while (rows.next()) {
                        double per = Math.max(1, operations);
                        out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %.3f | %.3f | %.1f |%n",
                                rows.getString(1).replace("|", "\\|"), rows.getLong(2) / per, rows.getDouble(3),
                                rows.getDouble(4) / per, rows.getLong(5) / (double) Math.max(1, rows.getLong(2))));
                    }
                }
                return out.toString();
            }
        }
    }

    private static long jvmNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /**
     * CPU time so far of the embedded server at {@code dataDirectory}: the postmaster (its pid from
     * {@code postmaster.pid}; {@code pg_ctl} starts it detached, so it is no child of this JVM) and its processes,
     * with what their exited children used (a backend's time goes to the postmaster's when it ends).
     */
    private static long serverNanos(Path dataDirectory) {
        long ticks = 0;
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            List<ProcessHandle> processes = new ArrayList<>();
            ProcessHandle.of(postmaster).ifPresent(p -> {
                processes.add(p);
                processes.addAll(p.descendants().toList());
            });
            for (ProcessHandle process : processes) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
                    for (int i = 11; i <= 14; i++) {
                        ticks += Long.parseLong(fields[i]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }


    @FunctionalInterface
    private interface Counted {
        boolean run() throws Exception;
    }
}
