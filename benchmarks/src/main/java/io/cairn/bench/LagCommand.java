package io.cairn.bench;

import io.cairn.bench.LagStores.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code lag} subcommand: {@link Lag}, write→view lag by store and by how the projector is fed. */
@Command(name = "lag", mixinStandardHelpOptions = true,
        description = "Write→view lag (to visible and to stored) under a steady open-loop load at half the store's "
                + "measured capacity: polling only at 100 ms and 1 s (PostgreSQL also without NOTIFY) and merged.")
final class LagCommand implements Callable<Integer> {

    enum Target { MEMORY, DYNAMODB, POSTGRES, ALL }

    @Option(names = "--store", defaultValue = "ALL",
            description = "DYNAMODB (embedded DynamoDB Local), POSTGRES (embedded PostgreSQL, fsync on), ALL (both) "
                    + "or MEMORY (the harness on in-memory stores). Default: ${DEFAULT-VALUE}")
    Target store;

    @Option(names = "--seconds", defaultValue = "60",
            description = "Length of each run, warm-up included. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--warm-up-seconds", defaultValue = "5",
            description = "The first seconds of each run, not measured. Default: ${DEFAULT-VALUE}")
    int warmUpSeconds;

    @Option(names = "--modes", split = ",",
            defaultValue = "POLL_100MS,POLL_1S,PURE_POLL_100MS,PURE_POLL_1S,MERGED",
            description = "Modes to run; PURE_POLL_* (polling without NOTIFY wake-ups) apply to PostgreSQL only. "
                    + "Default: ${DEFAULT-VALUE}")
    List<Mode> modes;

    @Option(names = "--capacity-seconds", defaultValue = "10",
            description = "Closed-loop capacity measurement per store, after 3 s of warm-up. Default: ${DEFAULT-VALUE}")
    int capacitySeconds;

    @Option(names = "--rate", description = "Commands per second for every run instead of a fraction of the "
            + "measured capacity (skips the capacity measurement)")
    Optional<Double> rate;

    @Option(names = "--load-fraction", defaultValue = "0.5",
            description = "The load as a fraction of the measured capacity. Default: ${DEFAULT-VALUE}")
    double loadFraction;

    @Option(names = "--threads", defaultValue = "8",
            description = "Threads issuing commands, each on accounts of its own. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--accounts", defaultValue = "1000",
            description = "Accounts opened before each run; deposits go round them. Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "How long after the load every acknowledged commit may take to be visible and stored "
                    + "(plus 3 poll intervals) before it counts as missing. Default: ${DEFAULT-VALUE}")
    int drainSeconds;

    /** Whether the domains' document projections run beside the view projectors. */
    enum Documents {
        /** As the service runs: every registered document projection on its own ring. */
        ON(true),
        /** View projectors and the feed only, as before document projections existed. */
        OFF(false);

        final boolean loaded;

        Documents(boolean loaded) {
            this.loaded = loaded;
        }
    }

    @Option(names = "--document-projections", split = ",", defaultValue = "ON",
            description = "ON (every registered document projection runs beside the view projectors, as in the "
                    + "service), OFF, or OFF,ON for both, one after the other in each mode at the same rate (the "
                    + "lower of the two capacities times the load fraction). Default: ${DEFAULT-VALUE}")
    List<Documents> documents;

    @Option(names = "--dynamodb-server-per-run", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Start a DynamoDB Local of its own for each run (capacity round or lag run), so that no "
                    + "run shares the server's memory with earlier runs' tables. Default: ${DEFAULT-VALUE}")
    boolean dynamoDbServerPerRun;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        Lag.Settings settings = new Lag.Settings(threads, accounts, Duration.ofSeconds(warmUpSeconds),
                Duration.ofSeconds(drainSeconds));
        Domains domains = Domains.load();
        System.err.println("... domains: " + domains.describe() + "; view projectors: "
                + Lag.projectionNames(domains) + "; document projections: " + domains.describeProjections());
        Lag lag = new Lag(settings, domains, line -> System.err.println("... " + line));
        List<Supplier<LagStores.Server>> servers = switch (store) {
            case MEMORY -> List.of(LagStores::memory);
            case DYNAMODB -> List.of(() -> LagStores.dynamoDb(dynamoDbServerPerRun));
            case POSTGRES -> List.of(LagStores::postgres);
            case ALL -> List.of(() -> LagStores.dynamoDb(dynamoDbServerPerRun), LagStores::postgres);
        };
        List<Lag.Capacity> capacities = new ArrayList<>();
        List<Lag.Row> rows = new ArrayList<>();
        for (Supplier<LagStores.Server> opener : servers) {
            try (LagStores.Server server = opener.get()) {
                double target;
                if (rate.isPresent()) {
                    target = rate.get();
                } else {
                    double lowest = Double.MAX_VALUE;
                    for (Documents loaded : documents) {
                        Lag.Capacity capacity = lag.capacity(server, Duration.ofSeconds(3),
                                Duration.ofSeconds(capacitySeconds), loaded.loaded);
                        capacities.add(capacity);
                        lowest = Math.min(lowest, capacity.perSecond());
                    }
                    target = lowest * loadFraction;
                }
                for (Mode mode : modes) {
                    if (server.supports(mode)) {
                        for (Documents loaded : documents) {
                            rows.add(lag.run(server, mode, target, Duration.ofSeconds(seconds), loaded.loaded));
                        }
                    } else {
                        System.err.println("... " + server.name() + ": " + mode + " does not apply; skipped");
                    }
                }
            }
        }
        System.out.print(Lag.table(capacities, rows, rate.isPresent()
                        ? String.format(java.util.Locale.ROOT, "at %,.0f commands/s", rate.get())
                        : String.format(java.util.Locale.ROOT, "at %.0f%% of the measured capacity",
                                loadFraction * 100), settings,
                Duration.ofSeconds(seconds), domains));
        System.out.printf("%nRun time: %.1f min%n", (System.nanoTime() - began) / 60e9);
        long missing = rows.stream().mapToLong(Lag.Row::missing).sum();
        long failed = rows.stream().mapToLong(Lag.Row::failed).sum();
        if (missing > 0 || failed > 0) {
            System.err.println("FAILED: " + missing + " acknowledged commit(s) never became visible and stored, "
                    + failed + " command(s) failed; see the table");
            return 1;
        }
        return 0;
    }
}
