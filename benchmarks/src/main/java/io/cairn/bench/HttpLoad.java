package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.CommandOutcome;
import io.cairn.bootstrap.AggregateRuntime;
import io.cairn.bootstrap.Cairn;
import io.cairn.bootstrap.CairnConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/**
 * Commands over HTTP against the same commands in process, on one running service (issue 13).
 *
 * <p>The service is started as the runnable jar starts it ({@link Cairn#builder()} with every domain on the class
 * path, HTTP on 127.0.0.1, port 0), with the per-address rate limit raised out of the way (see {@link #config}).
 * On it, one after the other: deposits over HTTP from a fixed number of connections in a closed loop, each with a
 * unique {@code Idempotency-Key}; the same deposits in process through {@link Cairn#aggregate}, from as many
 * threads; and the HTTP ceiling, {@code GET /accounts/{id}} answered from the view cache (eventual consistency).
 * Every client thread works on accounts of its own, so no two commands race for a stream.
 */
final class HttpLoad {

    /** The service's per-address limit, raised (not switched off) so that its code runs but never refuses. */
    static final long RATE_LIMIT = 1_000_000;
    static final long RATE_BURST = 10_000_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Client threads of the HTTP cells: the load generator's. */
    private static final String LOAD_THREAD = "http-load-";
    /** Jetty's threads (Javalin's pool), as {@link ThreadCpu} names their kind. */
    private static final String JETTY_THREAD = "JettyServerThr";
    /** Threads of the in-process cell: they run the command handler, the service's work. */
    private static final String COMMAND_THREAD = "in-process-";

    /**
     * @param connections client threads, each with a request in flight (HTTP: one connection each)
     * @param accounts    accounts opened before the load; each thread goes round its share
     * @param warmUp      deposits over HTTP before anything is measured (the JIT)
     * @param settle      the same load, unmeasured, before each later measurement
     * @param measure     each measurement
     */
    record Settings(int connections, int accounts, Duration warmUp, Duration settle, Duration measure) {
        Settings {
            if (connections < 1 || accounts < connections) {
                throw new IllegalArgumentException("need 1 or more connections and at least as many accounts");
            }
            requireNonNull(warmUp, "warmUp must not be null");
            requireNonNull(settle, "settle must not be null");
            requireNonNull(measure, "measure must not be null");
        }
    }

    /**
     * One measured closed loop.
     *
     * @param latency         microseconds, per operation completed in the window
     * @param cpu             the JVM's and every other process's cores over the window
     * @param generatorCores  cores the load generator's own threads used (client threads, the HTTP client's)
     * @param threads         cores by thread kind ({@link ThreadCpu}), the JIT and GC included
     * @param behindAtEnd     commits the projections had received and not yet stored when the window ended
     */
    record Phase(long operations, long failures, Histogram latency, Duration window, Cpu.Usage cpu,
                 double generatorCores, Map<String, Double> threads, long behindAtEnd, long redelivered) {

        /**
         * Commits the projections' gates got a second time in the window (the sum over projections of
         * {@code cairn.projector.duplicates}), per operation: a commit the durable channel brought again after its
         * fast hint, or the other way round, costs a pass through the ring of every projection.
         */
        double redeliveredPerOperation() {
            return redelivered / (double) Math.max(1, operations);
        }

        double perSecond() {
            return operations / (window.toNanos() / 1e9);
        }

        double p50Millis() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        /** CPU time of Jetty's threads (the HTTP server: parsing, handlers, writing), per operation, in µs. */
        double jettyMicrosPerOperation() {
            double cores = threads.entrySet().stream().filter(kind -> kind.getKey().startsWith(JETTY_THREAD))
                    .mapToDouble(Map.Entry::getValue).sum();
            return cores * window.toNanos() / 1e3 / Math.max(1, operations);
        }

        /** CPU time of the service's threads (the JVM less the load generator), per operation, in µs. */
        double serviceMicrosPerOperation() {
            return (cpu.jvmCores() - generatorCores) * window.toNanos() / 1e3 / Math.max(1, operations);
        }
    }

    /** The HTTP load generators. */
    enum Client {
        /** {@link JdkLoadClient}. */
        JDK("HttpClient"),
        /** {@link SocketLoadClient}. */
        SOCKET("raw socket");

        final String label;

        Client(String label) {
            this.label = label;
        }

        LoadClient open(URI base, int connections) {
            return switch (this) {
                case JDK -> new JdkLoadClient(base);
                case SOCKET -> new SocketLoadClient(new java.net.InetSocketAddress(base.getHost(), base.getPort()),
                        connections);
            };
        }
    }

    /** Commands and the cached GET over HTTP with one client. */
    record Http(Client client, Phase commands, Phase get) {
    }

    /**
     * The measurements on one store: over HTTP with each client, and in process, flat out and paced at the best HTTP
     * client's rate (where the projections' batches are as small as over HTTP, so the CPU per command compares).
     */
    record Row(String store, List<Http> http, Phase inProcess, Phase inProcessAtHttpRate) {
        long failures() {
            return inProcess.failures() + inProcessAtHttpRate.failures() + http.stream()
                    .mapToLong(each -> each.commands().failures() + each.get().failures()).sum();
        }
    }

    /** One closed-loop operation of client thread {@code thread}; false when the service refused it. */
    @FunctionalInterface
    private interface Operation {
        boolean run(int thread, long sequence) throws Exception;
    }

    /** A started service and what it runs on. */
    static final class Service implements AutoCloseable {
        final String name;
        final Cairn cairn;
        private final List<AutoCloseable> closers;

        Service(String name, Cairn cairn, List<AutoCloseable> closers) {
            this.name = name;
            this.cairn = cairn;
            this.closers = closers;
        }

        @Override
        public void close() throws Exception {
            try {
                cairn.close();
            } finally {
                for (AutoCloseable closer : closers) {
                    closer.close();
                }
            }
        }
    }

    enum Store { MEMORY, DYNAMODB, POSTGRES }

    private final Settings settings;
    private final Consumer<String> progress;
    /** The running service's address, for {@link ProjectionBacklog}. */
    private URI base;

    HttpLoad(Settings settings, Consumer<String> progress) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.progress = requireNonNull(progress, "progress must not be null");
    }

    /**
     * The service's configuration on {@code store}: the defaults but for HTTP on a free loopback port, the data in
     * {@code dataDir} and the rate limit raised.
     */
    static Map<String, String> config(Store store, Path dataDir) {
        return new HashMap<>(Map.of(
                "cairn.store", store.name().toLowerCase(Locale.ROOT),
                "cairn.data-dir", dataDir.toString(),
                "cairn.http.host", "127.0.0.1",
                "cairn.http.port", "0",
                "cairn.limits.requests-per-second", Long.toString(RATE_LIMIT),
                "cairn.limits.request-burst", Long.toString(RATE_BURST)));
    }

    /**
     * Starts the service on {@code store}: memory; the embedded DynamoDB Local (the service's default, its data in a
     * temporary directory); or an embedded PostgreSQL started here as the lag benchmark starts it (fsync on).
     */
    static Service start(Store store) throws Exception {
        ScratchDirectory dataDir = ScratchDirectory.create("cairn-http-bench-");
        List<AutoCloseable> closers = new ArrayList<>(List.of(dataDir));
        Map<String, String> config = config(store, dataDir.path());
        String name = switch (store) {
            case MEMORY -> "memory";
            case DYNAMODB -> "DynamoDB Local";
            case POSTGRES -> "PostgreSQL";
        };
        try {
            if (store == Store.POSTGRES) {
                EmbeddedPostgres server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "100")
                        .start();
                closers.add(0, server);
                config.put("cairn.postgres.url", server.getJdbcUrl("postgres", "postgres"));
                config.put("cairn.postgres.user", "postgres");
                config.put("cairn.postgres.password", "");
            }
            Cairn cairn = Cairn.builder().config(CairnConfig.of(config)).domainsFromClassPath().start();
            return new Service(name, cairn, closers);
        } catch (Exception | Error e) {
            for (AutoCloseable closer : closers) {
                closer.close();
            }
            throw e;
        }
    }

    /** Opens the accounts, warms up, then measures commands over HTTP, in process, and the cached GET. */
    Row run(Service service, List<Client> clients) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + service.cairn.httpPort());
        this.base = base;
        AggregateRuntime<AccountCommand, AccountEvent, AccountState> accounts =
                service.cairn.aggregate(AccountsDomain.ACCOUNTS);
        String prefix = "h" + Long.toHexString(System.nanoTime()) + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.accounts(); i++) {
            ids.add(prefix + i);
        }
        Map<Client, LoadClient> open = new java.util.LinkedHashMap<>();
        try {
            for (Client client : clients) {
                open.put(client, client.open(base, settings.connections()));
            }
            LoadClient first = open.get(clients.get(0));
            progress.accept(service.name + ": opening " + ids.size() + " accounts over HTTP");
            parallel(settings.connections(), thread -> {
                for (int i = thread; i < ids.size(); i += settings.connections()) {
                    int status = first.post(thread, "/accounts/" + ids.get(i) + "/open",
                            "{\"owner\":\"bench-" + (i % 100) + "\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
                    if (status != 200) {
                        throw new IllegalStateException("open " + ids.get(i) + ": " + status);
                    }
                }
                return null;
            });

            Map<Client, Phase> commands = new java.util.LinkedHashMap<>();
            Duration unmeasured = settings.warmUp();
            for (Map.Entry<Client, LoadClient> client : open.entrySet()) {
                LoadClient http = client.getValue();
                progress.accept(service.name + ": deposits over HTTP (" + client.getKey().label + "), "
                        + unmeasured.toSeconds() + " s unmeasured + " + settings.measure().toSeconds() + " s");
                commands.put(client.getKey(), closedLoop((thread, sequence) -> http.post(thread,
                        "/accounts/" + account(ids, thread, sequence) + "/deposit", "{\"amount\":1}") == 200,
                        unmeasured, LOAD_THREAD));
                unmeasured = settings.settle();
            }
            progress.accept(service.name + ": deposits in process, " + settings.settle().toSeconds() + " s + "
                    + settings.measure().toSeconds() + " s");
            Phase inProcess = closedLoop((thread, sequence) -> accounts.handle(account(ids, thread, sequence),
                    UUID.randomUUID(), new Deposit(1)) instanceof CommandOutcome.Accepted,
                    settings.settle(), COMMAND_THREAD);
            double httpRate = commands.values().stream().mapToDouble(Phase::perSecond).max().orElseThrow();
            progress.accept(String.format(Locale.ROOT, "%s: deposits in process at the HTTP rate (%,.0f/s), %d s + %d s",
                    service.name, httpRate, settings.settle().toSeconds(), settings.measure().toSeconds()));
            long interval = (long) (1e9 * settings.connections() / Math.max(1, httpRate));
            long[] due = new long[settings.connections()];
            Phase paced = closedLoop((thread, sequence) -> {
                if (due[thread] == 0) {
                    due[thread] = System.nanoTime() + interval * thread / settings.connections();
                }
                sleepUntil(due[thread]);
                due[thread] += interval;
                return accounts.handle(account(ids, thread, sequence), UUID.randomUUID(), new Deposit(1))
                        instanceof CommandOutcome.Accepted;
            }, settings.settle(), COMMAND_THREAD);
            List<Http> http = new ArrayList<>();
            for (Map.Entry<Client, LoadClient> client : open.entrySet()) {
                LoadClient each = client.getValue();
                progress.accept(service.name + ": GET /accounts/{id} (eventual, " + client.getKey().label + "), "
                        + settings.settle().toSeconds() + " s + " + settings.measure().toSeconds() + " s");
                Phase get = closedLoop((thread, sequence) -> each.get(thread,
                        "/accounts/" + account(ids, thread, sequence)) == 200, settings.settle(), LOAD_THREAD);
                http.add(new Http(client.getKey(), commands.get(client.getKey()), get));
                progress.accept(String.format(Locale.ROOT, "%s (%s): HTTP %,.0f/s, in process %,.0f/s, GET %,.0f/s",
                        service.name, client.getKey().label, commands.get(client.getKey()).perSecond(),
                        inProcess.perSecond(), get.perSecond()));
            }
            return new Row(service.name, http, inProcess, paced);
        } finally {
            open.values().forEach(LoadClient::close);
        }
    }

    /** Thread {@code thread}'s {@code sequence}-th account: threads own disjoint accounts, so nothing conflicts. */
    private String account(List<String> ids, int thread, long sequence) {
        int threads = settings.connections();
        int owned = (ids.size() - thread + threads - 1) / threads;
        return ids.get(thread + (int) (sequence % owned) * threads);
    }

    /** {@code settings.connections()} threads run {@code operation} back to back: unmeasured, then measured. */
    private Phase closedLoop(Operation operation, Duration unmeasured, String threadName) throws Exception {
        caughtUp();
        long[] sequences = new long[settings.connections()]; // each loop thread's own count
        Readings readings = new Readings();
        TimedLoops.Outcome outcome = TimedLoops.run(settings.connections(), Duration.ofMillis(50), unmeasured,
                settings.measure(), named(threadName), thread -> operation.run(thread, sequences[thread]++), readings);
        long generatorNanos = 0;
        for (Map.Entry<Long, Long> entry : readings.generator1.entrySet()) {
            generatorNanos += entry.getValue() - readings.generator0.getOrDefault(entry.getKey(), 0L);
        }
        long wall = readings.cpu1.wallNanos() - readings.cpu0.wallNanos();
        Map<String, Double> byThread = ThreadCpu.since(readings.threads0, readings.threads1, wall);
        progress.accept("cores by thread: " + ThreadCpu.describe(byThread));
        return new Phase(outcome.operations(), outcome.failures(), outcome.latency(), settings.measure(),
                readings.cpu1.since(readings.cpu0), generatorNanos / (double) wall, byThread, readings.behind,
                readings.duplicates1 - readings.duplicates0);
    }

    /** The CPU readings at the measured window's two ends, and the projections' backlog at its close. */
    private final class Readings implements TimedLoops.Window {
        Cpu.Reading cpu0;
        Cpu.Reading cpu1;
        Map<Long, Long> generator0;
        Map<Long, Long> generator1;
        Map<String, Long> threads0;
        Map<String, Long> threads1;
        long behind;
        long duplicates0;
        long duplicates1;

        @Override
        public void opened() throws Exception {
            duplicates0 = ProjectionBacklog.duplicates(base);
            cpu0 = Cpu.read();
            generator0 = generatorCpu();
            threads0 = ThreadCpu.read();
        }

        @Override
        public void closed() throws Exception {
            cpu1 = Cpu.read();
            generator1 = generatorCpu();
            threads1 = ThreadCpu.read();
            behind = ProjectionBacklog.behind(base);
            duplicates1 = ProjectionBacklog.duplicates(base);
        }
    }

    /**
     * Waits, up to 30 s, until the projections have stored everything: a cell should not pay for the backlog an
     * earlier cell left behind.
     */
    private void caughtUp() throws Exception {
        long behind = ProjectionBacklog.awaitCaughtUp(base, Duration.ofSeconds(30), Duration.ofMillis(100));
        if (behind > 0) {
            progress.accept("projections still " + behind + " commits behind after 30 s; measuring anyway");
        }
    }

    /** CPU time so far of each thread of the load generator: the client threads and the HTTP client's own. */
    private static Map<Long, Long> generatorCpu() {
        Predicate<String> generator = name -> name.startsWith(LOAD_THREAD) || name.startsWith("HttpClient-");
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (generator.test(thread.getName())) {
                long nanos = THREADS.getThreadCpuTime(thread.getId());
                if (nanos >= 0) {
                    cpu.put(thread.getId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong count = new AtomicLong();
        return runnable -> new Thread(runnable, prefix + count.incrementAndGet());
    }

    @FunctionalInterface
    private interface Task {
        Void run(int thread) throws Exception;
    }

    private static void parallel(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, named(LOAD_THREAD));
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> task.run(thread)));
            }
            for (Future<Void> each : running) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sleeps until {@link System#nanoTime()} reaches {@code nanoTime}. */
    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** The rows as Markdown tables: throughput and latency, then where the CPU went. */
    static String table(List<Row> rows, Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d connections / threads, closed loop, %d accounts; %d s warm-up, "
                        + "%d s settle, %d s measured per cell%n%n", settings.connections(), settings.accounts(),
                settings.warmUp().toSeconds(), settings.settle().toSeconds(), settings.measure().toSeconds()));
        out.append("| store | client | HTTP commands/s | p50 ms | p99 ms | in-process commands/s | p50 ms | p99 ms "
                + "| HTTP ÷ in process | CPU allows HTTP ÷ in process at most: all cores busy (without the load "
                + "generator's CPU) | cached GET/s | p50 ms | p99 ms | HTTP commands ÷ GET |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            for (Http http : row.http()) {
                out.append(String.format(Locale.ROOT,
                        "| %s | %s | %,.0f | %.2f | %.2f | %,.0f | %.2f | %.2f | **%.2f×** | %s | %,.0f | %.2f | %.2f | %.2f× |%n",
                        row.store(), http.client().label, http.commands().perSecond(), http.commands().p50Millis(),
                        http.commands().p99Millis(), row.inProcess().perSecond(), row.inProcess().p50Millis(),
                        row.inProcess().p99Millis(), http.commands().perSecond() / row.inProcess().perSecond(),
                        allowed(http.commands(), row.inProcess()),
                        http.get().perSecond(), http.get().p50Millis(), http.get().p99Millis(),
                        http.commands().perSecond() / http.get().perSecond()));
            }
        }
        out.append("\nCPU, cores busy over each measured window (JVM = service + load generator; others = every "
                + "other process, the store's server process included):\n\n");
        out.append("| store | cell | JVM | load generator | others | service CPU µs / operation "
                + "| Jetty threads µs / operation | failures | projections behind at end "
                + "| commits re-delivered to a projection / operation | JVM threads, cores (JIT and GC included) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            for (Http http : row.http()) {
                cpuRow(out, row.store(), "HTTP commands, " + http.client().label, http.commands());
            }
            cpuRow(out, row.store(), "in-process commands", row.inProcess());
            cpuRow(out, row.store(), String.format(Locale.ROOT, "in-process commands at the HTTP rate (%,.0f/s)",
                    row.inProcessAtHttpRate().perSecond()), row.inProcessAtHttpRate());
            for (Http http : row.http()) {
                cpuRow(out, row.store(), "cached GET, " + http.client().label, http.get());
            }
        }
        return out.toString();
    }

    /**
     * What the CPU that HTTP commands cost allows them, as a ratio to the in-process rate: the measured rate scaled to
     * every core busy (a closed loop completes no more than the cores' time divided by what one command costs, the
     * store's server and the load generator included), then the same with the load generator's CPU left out, as if it
     * ran on a machine of its own.
     */
    private static String allowed(Phase http, Phase inProcess) {
        int cores = Runtime.getRuntime().availableProcessors();
        double busy = http.cpu().machineCores();
        if (Double.isNaN(busy) || busy <= 0) {
            return "n/a";
        }
        double all = cores / busy * http.perSecond() / inProcess.perSecond();
        double withoutGenerator = cores / Math.max(1e-9, busy - http.generatorCores()) * http.perSecond()
                / inProcess.perSecond();
        return String.format(Locale.ROOT, "≤ %.2f× (≤ %.2f×)", all, withoutGenerator);
    }

    private static void cpuRow(StringBuilder out, String store, String cell, Phase phase) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %.0f | %.0f | %d | %,d | %.2f | %s |%n",
                store, cell, phase.cpu().jvm(), phase.generatorCores(), phase.cpu().others(),
                phase.serviceMicrosPerOperation(), phase.jettyMicrosPerOperation(), phase.failures(),
                phase.behindAtEnd(), phase.redeliveredPerOperation(), ThreadCpu.describe(phase.threads())));
    }
}
