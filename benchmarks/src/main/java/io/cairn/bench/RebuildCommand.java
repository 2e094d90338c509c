package io.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.Subscription;
import io.cairn.bootstrap.AggregateRuntime;
import io.cairn.bootstrap.Cairn;
import io.cairn.bootstrap.CairnConfig;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.postgres.PostgresStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code rebuild} subcommand: how fast a projection is rebuilt as a new generation (issue 12), per store, next
 * to a ceiling measured in the same run on the same store: reading the same commits without applying them (the
 * global log from 0 on PostgreSQL; the channel's rebuild on DynamoDB, a consistent scan then Streams, counted until
 * every commit came). The service runs as {@code java -jar} runs it, on the reference domains; the fill is deposits
 * in process over many accounts; each rebuild is {@code POST /projections/{name}/rebuild}, timed until
 * {@code GET /projections} shows the new generation active (polled every 20 ms).
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Rebuild rate of the owners document projection and the accounts' views, in commits/s, next to "
                + "reading the same commits without applying them, per store.")
final class RebuildCommand implements Callable<Integer> {

    enum Target { MEMORY, DYNAMODB, POSTGRES }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Option(names = "--store", split = ",", defaultValue = "MEMORY,POSTGRES,DYNAMODB",
            description = "MEMORY, POSTGRES (embedded, fsync on), DYNAMODB (an embedded DynamoDB Local), a list. "
                    + "Default: ${DEFAULT-VALUE}")
    List<Target> stores;

    @Option(names = "--commits", defaultValue = "20000", description = "Commits filled first. Default: ${DEFAULT-VALUE}")
    int commits;

    @Option(names = "--accounts", defaultValue = "2000",
            description = "Accounts they are spread over (each opened, then deposited to). Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--threads", defaultValue = "8", description = "Filling threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--projections", split = ",", defaultValue = "owners,accounts-view",
            description = "What to rebuild, one after the other. Default: ${DEFAULT-VALUE}")
    List<String> projections;

    @Override
    public Integer call() throws Exception {
        List<String> rows = new ArrayList<>();
        for (Target target : stores) {
            rows.addAll(run(target));
        }
        System.out.println("| store | projection | commits | rebuild s | rebuild commits/s | ceiling commits/s "
                + "| rebuild / ceiling |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        return 0;
    }

    private List<String> run(Target target) throws Exception {
        ScratchDirectory dataDir = ScratchDirectory.create("cairn-rebuild-bench-");
        List<AutoCloseable> closers = new ArrayList<>(List.of(dataDir));
        Map<String, String> config = new HashMap<>(Map.of(
                "cairn.store", target.name().toLowerCase(Locale.ROOT),
                "cairn.data-dir", dataDir.path().toString(),
                "cairn.http.host", "127.0.0.1",
                "cairn.http.port", "0"));
        Optional<URI> dynamo = Optional.empty();
        try {
            if (target == Target.POSTGRES) {
                EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on").setServerConfig("max_connections", "100")
                        .start();
                closers.add(0, server);
                config.put("cairn.postgres.url", server.getJdbcUrl("postgres", "postgres"));
                config.put("cairn.postgres.user", "postgres");
                config.put("cairn.postgres.password", "");
            } else if (target == Target.DYNAMODB) {
                EmbeddedDynamoDb server = EmbeddedDynamoDb.inMemory();
                closers.add(0, server);
                dynamo = Optional.of(server.endpoint());
                config.put("cairn.dynamodb.endpoint", server.endpoint().toString());
            }
            CairnConfig cairnConfig = CairnConfig.of(config);
            List<String> rows = new ArrayList<>();
            try (Cairn cairn = Cairn.builder().config(cairnConfig).domainsFromClassPath().start()) {
                long stored = fill(cairn);
                progress(target + ": " + stored + " commits stored; measuring the ceiling");
                double ceiling = ceiling(target, cairnConfig, dynamo, stored);
                for (String projection : projections) {
                    progress(target + ": rebuilding " + projection);
                    double seconds = rebuild(cairn, projection);
                    double rate = stored / seconds;
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.0f | %s | %s |", target, projection,
                            stored, seconds, rate, Double.isNaN(ceiling) ? "—" : String.format(Locale.ROOT, "%.0f",
                                    ceiling), Double.isNaN(ceiling) ? "—" : String.format(Locale.ROOT, "%.2f",
                                    rate / ceiling)));
                    progress(rows.get(rows.size() - 1));
                }
            }
            return rows;
        } finally {
            for (AutoCloseable closer : closers) {
                closer.close();
            }
        }
    }

    /** Opens the accounts, then deposits until {@link #commits} commits are stored; returns how many there are. */
    private long fill(Cairn cairn) throws Exception {
        AggregateRuntime<AccountCommand, AccountEvent, AccountState> runtime = cairn.aggregate(AccountsDomain.ACCOUNTS);
        String prefix = "r" + Long.toHexString(System.nanoTime()) + "-";
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = thread; i < accounts; i += threads) {
                        runtime.handle(prefix + i, new AccountCommand.OpenAccount("owner-" + (i % 100), "EUR", 0));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            work.clear();
            long deposits = Math.max(0, commits - accounts);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (long i = thread; i < deposits; i += threads) {
                        runtime.handle(prefix + (i % accounts), new AccountCommand.Deposit(1));
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        // let every projection catch up before measuring
        for (String projection : projections) {
            while (show(cairn, projection).path("commitsBehind").asLong() > 0) {
                Thread.sleep(50);
            }
        }
        Thread.sleep(1_500);
        return done.get();
    }

    /** Reads the stored commits without applying them: commits a second, NaN where there is no such reader. */
    private static double ceiling(Target target, CairnConfig config, Optional<URI> dynamo, long stored)
            throws Exception {
        if (target == Target.POSTGRES) {
            try (PostgresStores stores = PostgresStores.open(config.postgres().settings())) {
                GlobalLog log = stores.globalLog();
                long started = System.nanoTime();
                long read = 0;
                long from = 0;
                while (true) {
                    GlobalSlice slice = log.readAll(from, GlobalLog.MAX_SLICE);
                    if (slice.commits().isEmpty()) {
                        break;
                    }
                    read += slice.commits().size();
                    from = slice.nextPosition();
                }
                return read / ((System.nanoTime() - started) / 1e9);
            }
        }
        if (target == Target.DYNAMODB) {
            try (DynamoDbStores stores = DynamoDbStores.open(config.dynamoDb().settings(dynamo), Optional.empty())) {
                AtomicLong read = new AtomicLong();
                CountDownLatch all = new CountDownLatch(1);
                long started = System.nanoTime();
                Subscription subscription = stores.durableChannel().subscribe(Optional.<Checkpoint>empty(),
                        (commit, checkpoint) -> {
                            if (read.incrementAndGet() == stored) {
                                all.countDown();
                            }
                        });
                try {
                    all.await(30, TimeUnit.MINUTES);
                    return read.get() / ((System.nanoTime() - started) / 1e9);
                } finally {
                    subscription.close();
                }
            }
        }
        return Double.NaN;
    }

    /** Seconds from {@code POST /projections/{name}/rebuild} to {@code GET /projections} showing the new generation. */
    private static double rebuild(Cairn cairn, String projection) throws Exception {
        int before = show(cairn, projection).path("generation").asInt();
        long started = System.nanoTime();
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(uri(cairn, "/projections/" + projection
                + "/rebuild")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("the rebuild of " + projection + " answered " + answer.body());
        }
        long lastReport = started;
        while (true) {
            JsonNode shown = show(cairn, projection);
            if (shown.path("generation").asInt() > before && !shown.has("rebuild")) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() - lastReport > Duration.ofSeconds(5).toNanos()) {
                lastReport = System.nanoTime();
                progress(projection + ": " + shown.path("rebuild"));
            }
            Thread.sleep(20);
        }
    }

    private static JsonNode show(Cairn cairn, String projection) throws Exception {
        HttpResponse<String> list = CLIENT.send(HttpRequest.newBuilder(uri(cairn, "/projections")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode shown : JSON.readTree(list.body()).path("projections")) {
            if (shown.path("name").asText().equals(projection)) {
                return shown;
            }
        }
        throw new IllegalArgumentException("no projection " + projection);
    }

    private static URI uri(Cairn cairn, String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }

    private static void progress(String line) {
        System.err.println("... " + line);
    }
}
