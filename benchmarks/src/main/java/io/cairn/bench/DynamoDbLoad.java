package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.CommandOutcome;
import io.cairn.bench.LagStores.Mode;
import io.cairn.bootstrap.AggregateRuntime;
import io.cairn.bootstrap.Cairn;
import io.cairn.bootstrap.CairnConfig;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.TableNames;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * DynamoDB: what a command and the projector writes it causes cost against DynamoDB Local's own ceiling, all in
 * one run on one embedded, in-memory DynamoDB Local. The cells, each measured in every round:
 * <ul>
 *   <li><b>ceiling</b>: DynamoDB Local's own conditional {@code PutItem} ({@code attribute_not_exists}, with the
 *       consumed capacity asked for, as the event store puts) of an item as large as a deposit's commit item (a
 *       copy of one), into a table keyed and streamed as the events table, each thread on a partition of its own,
 *       at 1 and at {@code threads} threads;</li>
 *   <li><b>command</b>: a deposit through {@link Cairn#aggregate} on a Cairn started as the jar starts it (every
 *       domain and projection on the class path, the live feed; its tables on this server) at {@code threads}
 *       threads, each on accounts of its own. The write and read units DynamoDB reported meanwhile (from
 *       {@code GET /metrics}, {@code cairn_dynamodb_capacity_*} by purpose, table and operation), the
 *       projections caught up before and after, are divided by the commands of the cell: the command's own and
 *       its projectors'.</li>
 * </ul>
 * Then, with the Cairn stopped, the lag benchmark ({@link Lag}), each run on a DynamoDB Local of its own (as
 * {@code lag --dynamodb-server-per-run}): merged, at half the capacity it measures, with and without the document
 * projections.
 */
final class DynamoDbLoad {

    /** Which lag runs follow the rounds. */
    enum LagRun {
        /** View projectors and the feed only. */
        OFF,
        /** With every registered document projection, as shipped. */
        ON,
        /** No lag run. */
        NONE
    }

    /**
     * @param threads             the concurrent cells' threads
     * @param accounts            accounts of the command cell
     * @param warmUp              each cell's warm-up, once before the first round
     * @param measure             each timed cell
     * @param rounds              how often every cell is measured
     * @param lagRuns             the lag runs after the rounds
     * @param lagLength           each lag run
     * @param lagRate             the lag runs' rate; empty: half the capacity measured before each
     * @param lagCapacity         the capacity measurement before each lag run
     */
    record Settings(int threads, int accounts, Duration warmUp, Duration measure, int rounds, List<LagRun> lagRuns,
                    Duration lagLength, Optional<Double> lagRate, Duration lagCapacity) {
        Settings {
            requireNonNull(lagRuns, "lagRuns must not be null");
            if (threads < 1 || accounts < threads || rounds < 0) {
                throw new IllegalArgumentException("threads must be >= 1, rounds >= 0, accounts >= threads");
            }
        }
    }

    /**
     * One measured cell; {@code units} are capacity units per operation by {@code purpose / operation / table}
     * (command cells only), {@code R} or {@code W} first.
     */
    record Cell(int round, String path, int threads, String detail, long operations, long failures,
                Histogram latency, Duration window, String loadAverage, Map<String, Double> units) {

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

    /** What {@link #run} measured. */
    record Result(List<Cell> cells, List<Lag.Capacity> lagCapacities, List<Lag.Row> lagRows, String lagTable) {
    }

    private static final Pattern CAPACITY = Pattern.compile(
            "^cairn_dynamodb_capacity_(read|write)_units_total\\{([^}]*)}\\s+(\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String PREFIX = DynamoDbSettings.DEFAULT_TABLE_PREFIX;

    private final Settings settings;
    private final Consumer<String> progress;

    DynamoDbLoad(Settings settings, Consumer<String> progress) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.progress = requireNonNull(progress, "progress must not be null");
    }

    /** Starts the server, runs every round and the lag runs, stops everything. */
    Result run() throws Exception {
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.inMemory();
             ScratchDirectory dataDir = ScratchDirectory.create("cairn-dynamodb-bench-")) {
            progress.accept("DynamoDB Local at " + server.endpoint());
            Map<String, String> config = new HashMap<>(HttpLoad.config(HttpLoad.Store.DYNAMODB, dataDir.path()));
            config.put("cairn.dynamodb.endpoint", server.endpoint().toString());
            config.put("cairn.dynamodb.table-prefix", PREFIX);
            List<Cell> cells = List.of();
            if (settings.rounds() > 0) {
                try (DynamoDbClient client = client(server.endpoint());
                     Cairn cairn = Cairn.builder().config(CairnConfig.of(config)).domainsFromClassPath().start()) {
                    cells = new Run(cairn, client).all();
                }
            }
            List<Lag.Capacity> capacities = new ArrayList<>();
            List<Lag.Row> rows = new ArrayList<>();
            String lagTable = "";
            if (!settings.lagRuns().isEmpty()) {
                Lag.Settings lagSettings = new Lag.Settings(8, 1000, Duration.ofSeconds(5), Duration.ofSeconds(30));
                Domains domains = Domains.load();
                Lag lag = new Lag(lagSettings, domains, progress);
                // a DynamoDB Local of its own per lag run: on the server above, with the Cairn's tables and streams
                // in its memory, the lag benchmark's capacity measured 6 times lower (23 against 146 commands/s)
                try (LagStores.Server lagServer = LagStores.dynamoDb(true)) {
                    for (LagRun run : settings.lagRuns()) {
                        boolean documents = run == LagRun.ON;
                        double rate;
                        if (settings.lagRate().isPresent()) {
                            rate = settings.lagRate().get();
                        } else {
                            Lag.Capacity capacity = lag.capacity(lagServer, Duration.ofSeconds(3),
                                    settings.lagCapacity(), documents);
                            capacities.add(capacity);
                            rate = capacity.perSecond() / 2;
                        }
                        rows.add(lag.run(lagServer, Mode.MERGED, rate, settings.lagLength(), documents));
                    }
                }
                lagTable = Lag.table(capacities, rows, settings.lagRate().isPresent()
                        ? String.format(Locale.ROOT, "at %,.0f commands/s", settings.lagRate().get())
                        : "at 50% of the capacity measured before each run", lagSettings, settings.lagLength(), domains);
            }
            return new Result(cells, capacities, rows, lagTable);
        }
    }

    /** The cells as Markdown: every round, the ratios to the ceiling, the units per command; then the lag tables. */
    static String table(Result result, Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Embedded in-memory DynamoDB Local; %d cores shared by client, Cairn and "
                        + "server; %d round(s); timed cells %d s after %d s of warm-up each%n%n",
                Runtime.getRuntime().availableProcessors(), settings.rounds(), settings.measure().toSeconds(),
                settings.warmUp().toSeconds()));
        out.append("| round | path | threads | detail | ops/s | p50 ms | p99 ms | ops/s ÷ ceiling (same threads) "
                + "| p50 ÷ ceiling p50 (1 thread) | load avg (1, 5 min) | failures |\n");
        out.append("|---:|---|---:|---|---:|---:|---:|---:|---:|---|---:|\n");
        List<Cell> cells = result.cells();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Cell same = ceiling(cells, i, cell.threads());
            Cell single = ceiling(cells, i, 1);
            out.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %,.0f | %.3f | %.3f | %s | %s | %s | %d |%n",
                    cell.round(), cell.path(), cell.threads(), cell.detail(), cell.perSecond(), cell.p50(), cell.p99(),
                    same == null ? "" : String.format(Locale.ROOT, "%.2f×", cell.perSecond() / same.perSecond()),
                    single == null ? "" : String.format(Locale.ROOT, "%.2f×", cell.p50() / single.p50()),
                    cell.loadAverage(), cell.failures()));
        }
        for (Cell cell : cells) {
            if (cell.units().isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%nCapacity units per command, round %d (%,d commands; DynamoDB's "
                    + "own report, projections caught up before and after):%n%n", cell.round(), cell.operations()));
            out.append("| units | purpose | operation | table | per command |\n|---|---|---|---|---:|\n");
            Map<String, Double> totals = new TreeMap<>();
            cell.units().forEach((key, value) -> {
                String[] parts = key.split(" / ", -1);
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f |%n", parts[0], parts[1],
                        parts[2], parts[3], value));
                totals.merge(parts[0] + " / " + parts[1], value, Double::sum);
            });
            totals.forEach((key, value) -> {
                String[] parts = key.split(" / ", -1);
                out.append(String.format(Locale.ROOT, "| **%s** | **%s** | all | all | **%.2f** |%n", parts[0],
                        parts[1], value));
            });
        }
        if (!result.lagTable().isEmpty()) {
            out.append("\nLag (the lag benchmark, each run on a DynamoDB Local of its own, the Cairn above stopped):\n\n");
            out.append(result.lagTable());
        }
        return out.toString();
    }

    /** The ceiling at {@code threads} measured last before cell {@code index}. */
    private static Cell ceiling(List<Cell> cells, int index, int threads) {
        for (int i = index; i >= 0; i--) {
            Cell cell = cells.get(i);
            if (cell.path().equals("ceiling") && cell.threads() == threads) {
                return cell;
            }
        }
        return null;
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(DynamoDbSettings.LOCAL_REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("cairnlocal",
                        "cairnlocal")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    /** One run's state: the running Cairn, the ceiling's client, the seeded accounts. */
    private final class Run {
        private final Cairn cairn;
        private final DynamoDbClient client;
        private final AggregateRuntime<AccountCommand, AccountEvent, AccountState> accounts;
        private final URI base;
        private final List<String> many = new ArrayList<>();
        private final List<Cell> cells = new ArrayList<>();
        private final AtomicLong tableNumber = new AtomicLong();
        private Map<String, AttributeValue> commitItem;

        Run(Cairn cairn, DynamoDbClient client) {
            this.cairn = cairn;
            this.client = client;
            this.accounts = cairn.aggregate(AccountsDomain.ACCOUNTS);
            this.base = URI.create("http://127.0.0.1:" + cairn.httpPort());
        }

        List<Cell> all() throws Exception {
            seed();
            progress.accept("warming up every cell for " + settings.warmUp().toSeconds() + " s");
            commands(0, settings.warmUp());
            commitItem = aDepositItem();
            progress.accept("a deposit's commit item: attributes " + commitItem.keySet());
            ceiling(0, 1, settings.warmUp());
            ceiling(0, settings.threads(), settings.warmUp());
            for (int round = 1; round <= settings.rounds(); round++) {
                add(ceiling(round, 1, settings.measure()));
                add(ceiling(round, settings.threads(), settings.measure()));
                add(commands(round, settings.measure()));
            }
            return cells;
        }

        private void add(Cell cell) {
            cells.add(cell);
            progress.accept(String.format(Locale.ROOT, "round %d %s x%d %s: %,.0f/s p50 %.3f ms p99 %.3f ms, "
                            + "load %s", cell.round(), cell.path(), cell.threads(), cell.detail(),
                    cell.perSecond(), cell.p50(), cell.p99(), cell.loadAverage()));
        }

        /** The accounts of the command cell, opened through the command handler. */
        private void seed() throws Exception {
            List<Runnable> work = new ArrayList<>();
            for (int i = 0; i < settings.accounts(); i++) {
                String id = "m-" + i;
                many.add(id);
                work.add(() -> expect(accounts.handle(id, UUID.randomUUID(),
                        new OpenAccount("bench-" + (id.hashCode() & 63), "EUR", 0))));
            }
            long began = System.nanoTime();
            progress.accept("seeding " + settings.accounts() + " accounts through the command handler");
            TimedLoops.parallel(settings.threads(), work);
            progress.accept(String.format(Locale.ROOT, "seeded in %.1f s; waiting for the projections",
                    (System.nanoTime() - began) / 1e9));
            caughtUp(Duration.ofMinutes(5));
        }

        private void expect(CommandOutcome outcome) {
            if (!(outcome instanceof CommandOutcome.Accepted)) {
                throw new IllegalStateException("a seeding command was refused: " + outcome);
            }
        }

        /** A deposit's commit item (revision 2 of a seeded account), as the event store wrote it. */
        private Map<String, AttributeValue> aDepositItem() {
            String table = new TableNames(PREFIX).events();
            Map<String, AttributeValue> start = null;
            do {
                ScanResponse page = client.scan(ScanRequest.builder().tableName(table)
                        .filterExpression("#r = :two").expressionAttributeNames(Map.of("#r", "r"))
                        .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2")))
                        .exclusiveStartKey(start).limit(100).build());
                if (!page.items().isEmpty()) {
                    return page.items().get(0);
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
            throw new IllegalStateException("no deposit found in " + table);
        }

        /**
         * The ceiling: DynamoDB Local's own conditional put of a commit-sized item, each thread on a partition of its
         * own at the next sort key, into a fresh table keyed and streamed as the events table.
         */
        private Cell ceiling(int round, int threads, Duration measure) throws Exception {
            String table = "ceiling-" + tableNumber.incrementAndGet();
            client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("s").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("r").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("s").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("r").attributeType(ScalarAttributeType.N).build())
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                            .streamViewType(StreamViewType.NEW_IMAGE).build()));
            long[] revisions = new long[threads];
            String[] streams = new String[threads];
            for (int i = 0; i < threads; i++) {
                streams[i] = "ceiling-" + i + "-" + UUID.randomUUID();
            }
            try {
                return timed(round, "ceiling", threads, "PutItem attribute_not_exists, commit-sized", measure,
                        thread -> {
                            Map<String, AttributeValue> item = new HashMap<>(commitItem);
                            item.put("s", AttributeValue.fromS(streams[thread]));
                            item.put("r", AttributeValue.fromN(Long.toString(++revisions[thread])));
                            item.put("c", AttributeValue.fromS(UUID.randomUUID().toString()));
                            client.putItem(PutItemRequest.builder().tableName(table).item(item)
                                    .conditionExpression("attribute_not_exists(#r)")
                                    .expressionAttributeNames(Map.of("#r", "r"))
                                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                                    .build());
                            return true;
                        });
            } finally {
                client.deleteTable(b -> b.tableName(table));
            }
        }

        /** {@code threads} threads of deposits, each on accounts of its own; the units per command by purpose. */
        private Cell commands(int round, Duration measure) throws Exception {
            int threads = settings.threads();
            long[] sequence = new long[threads];
            int owned = many.size() / threads;
            AtomicLong issued = new AtomicLong();
            caughtUp(Duration.ofSeconds(60));
            Map<String, Double> before = capacity();
            Cell cell = timed(round, "command", threads, many.size() + " accounts, projectors running", measure,
                    thread -> {
                        issued.incrementAndGet();
                        return accounts.handle(many.get(thread + (int) (sequence[thread]++ % owned) * threads),
                                UUID.randomUUID(), new Deposit(1)) instanceof CommandOutcome.Accepted;
                    });
            caughtUp(Duration.ofSeconds(60));
            Map<String, Double> after = capacity();
            Map<String, Double> perCommand = new TreeMap<>();
            after.forEach((key, value) -> {
                double used = value - before.getOrDefault(key, 0.0);
                if (used > 0) {
                    perCommand.put(key, used / issued.get());
                }
            });
            return new Cell(cell.round(), cell.path(), cell.threads(), cell.detail(), cell.operations(),
                    cell.failures(), cell.latency(), cell.window(), cell.loadAverage(), perCommand);
        }

        /** A closed loop on {@code threads} threads for {@code measure}; the projections caught up first. */
        private Cell timed(int round, String path, int threads, String detail, Duration measure, TimedLoops.Operation operation)
                throws Exception {
            caughtUp(Duration.ofSeconds(60));
            TimedLoops.Outcome outcome = TimedLoops.run(threads, measure, thread -> {
                try {
                    return operation.run(thread);
                } catch (RuntimeException e) {
                    progress.accept(path + " failed: " + e);
                    return false;
                }
            });
            return new Cell(round, path, threads, detail, outcome.operations(), outcome.failures(), outcome.latency(),
                    measure, TimedLoops.loadAverage(), Map.of());
        }

        /** Waits until every projection has stored what it received, from {@code GET /projections}. */
        private void caughtUp(Duration limit) throws Exception {
            long behind = ProjectionBacklog.awaitCaughtUp(base, limit, Duration.ofMillis(50));
            if (behind > 0) {
                progress.accept("projections still " + behind + " commits behind; measuring anyway");
            }
            Thread.sleep(200); // a checkpoint saved at its pace after the last view
        }

        /** The capacity counters as {@code GET /metrics} shows them, by {@code R|W / purpose / operation / table}. */
        private Map<String, Double> capacity() throws IOException, InterruptedException {
            Map<String, Double> units = new TreeMap<>();
            for (Matcher m = CAPACITY.matcher(get("/metrics")); m.find(); ) {
                Map<String, String> labels = new HashMap<>();
                for (Matcher l = LABEL.matcher(m.group(2)); l.find(); ) {
                    labels.put(l.group(1), l.group(2));
                }
                String table = labels.getOrDefault("table", "?");
                String key = (m.group(1).equals("read") ? "R" : "W") + " / " + labels.getOrDefault("purpose", "?")
                        + " / " + labels.getOrDefault("operation", "?") + " / "
                        + (table.startsWith(PREFIX) ? table.substring(PREFIX.length()) : table);
                units.merge(key, Double.parseDouble(m.group(3)), Double::sum);
            }
            return units;
        }

        private String get(String path) throws IOException, InterruptedException {
            return PROBE.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

}
