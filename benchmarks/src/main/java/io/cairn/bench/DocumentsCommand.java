package io.cairn.bench;

import io.cairn.bench.LagStores.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code documents} subcommand: {@link DocumentLoad}, what the document projections cost. */
@Command(name = "documents", mixinStandardHelpOptions = true,
        description = "Document projections under a mixed load of deposits and inventory commands: closed-loop "
                + "capacity with none and with every one loaded, ack → stored per projection merged and durable "
                + "only, and on DynamoDB the write units per commit, reported and theoretical.")
final class DocumentsCommand implements Callable<Integer> {

    @Option(names = "--store", defaultValue = "ALL",
            description = "DYNAMODB (embedded DynamoDB Local), POSTGRES (embedded PostgreSQL, fsync on), ALL (both) "
                    + "or MEMORY (the harness on in-memory stores). Default: ${DEFAULT-VALUE}")
    LagCommand.Target store;

    @Option(names = "--seconds", defaultValue = "30",
            description = "Length of each open-loop run, warm-up included. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--warm-up-seconds", defaultValue = "5",
            description = "The first seconds of each open-loop run, not measured. Default: ${DEFAULT-VALUE}")
    int warmUpSeconds;

    @Option(names = "--modes", split = ",", defaultValue = "MERGED,POLL_100MS",
            description = "MERGED (fast channel on) and POLL_100MS (durable channel only). Default: ${DEFAULT-VALUE}")
    List<Mode> modes;

    @Option(names = "--capacity-seconds", defaultValue = "10",
            description = "Each closed-loop round, after 3 s of warm-up. Default: ${DEFAULT-VALUE}")
    int capacitySeconds;

    @Option(names = "--capacity-rounds", defaultValue = "2",
            description = "Rounds of none, then every document projection, alternating. Default: ${DEFAULT-VALUE}")
    int capacityRounds;

    @Option(names = "--rate", description = "Commands per second for the open-loop runs instead of a fraction of "
            + "the loaded capacity")
    Optional<Double> rate;

    @Option(names = "--load-fraction", defaultValue = "0.5",
            description = "The open-loop load as a fraction of the mean capacity with every document projection "
                    + "loaded. Default: ${DEFAULT-VALUE}")
    double loadFraction;

    @Option(names = "--threads", defaultValue = "4", description = "Client threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--accounts", defaultValue = "400", description = "Accounts, ten per owner. Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--products", defaultValue = "120", description = "Products. Default: ${DEFAULT-VALUE}")
    int products;

    @Option(names = "--warehouses", defaultValue = "4", description = "Warehouses. Default: ${DEFAULT-VALUE}")
    int warehouses;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "How long after the load every acknowledged commit may take to be stored by every "
                    + "projection that follows it before it counts as missing. Default: ${DEFAULT-VALUE}")
    int drainSeconds;

    @Option(names = "--dynamodb-server-per-run", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start a DynamoDB Local of its own for each run (capacity round or lag run), so that no "
                    + "run shares the server's memory with earlier runs' tables. Default: ${DEFAULT-VALUE}")
    boolean dynamoDbServerPerRun;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        DocumentLoad.Settings settings = new DocumentLoad.Settings(threads, accounts, products, warehouses,
                Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(drainSeconds));
        Domains domains = Domains.load();
        System.err.println("... domains: " + domains.describe() + "; document projections: "
                + domains.describeProjections());
        DocumentLoad benchmark = new DocumentLoad(settings, domains, line -> System.err.println("... " + line));
        List<Supplier<LagStores.Server>> servers = switch (store) {
            case MEMORY -> List.of(LagStores::memory);
            case DYNAMODB -> List.of(() -> LagStores.dynamoDb(dynamoDbServerPerRun));
            case POSTGRES -> List.of(LagStores::postgres);
            case ALL -> List.of(() -> LagStores.dynamoDb(dynamoDbServerPerRun), LagStores::postgres);
        };
        List<DocumentLoad.Capacity> capacities = new ArrayList<>();
        List<DocumentLoad.Run> runs = new ArrayList<>();
        for (Supplier<LagStores.Server> opener : servers) {
            try (LagStores.Server server = opener.get()) {
                double target;
                if (rate.isPresent()) {
                    target = rate.get();
                } else {
                    double loaded = 0;
                    for (int round = 1; round <= capacityRounds; round++) {
                        for (boolean documents : new boolean[] {false, true}) {
                            DocumentLoad.Capacity capacity = benchmark.capacity(server, documents, round,
                                    Duration.ofSeconds(3), Duration.ofSeconds(capacitySeconds));
                            capacities.add(capacity);
                            if (documents) {
                                loaded += capacity.perSecond();
                            }
                        }
                    }
                    target = loaded / capacityRounds * loadFraction;
                }
                for (Mode mode : modes) {
                    if (server.supports(mode)) {
                        runs.add(benchmark.run(server, mode, target, Duration.ofSeconds(seconds)));
                    }
                }
            }
        }
        System.out.print(DocumentLoad.table(capacities, runs, rate.isPresent()
                        ? String.format(Locale.ROOT, "at %,.0f commands/s", rate.get())
                        : String.format(Locale.ROOT, "at %.0f%% of the mean loaded capacity", loadFraction * 100),
                settings, Duration.ofSeconds(seconds), domains));
        System.out.printf("%nRun time: %.1f min%n", (System.nanoTime() - began) / 60e9);
        long missing = runs.stream().flatMap(run -> run.projections().stream())
                .mapToLong(DocumentLoad.ProjectionRow::missing).sum();
        long failed = runs.stream().mapToLong(run -> run.failed() + run.rejected()).sum();
        if (missing > 0 || failed > 0) {
            System.err.println("FAILED: " + missing + " acknowledged commit(s) never stored by a projection that "
                    + "follows them, " + failed + " command(s) failed or were rejected; see the table");
            return 1;
        }
        return 0;
    }
}
