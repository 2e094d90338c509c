package io.cairn.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code dynamodb} subcommand: {@link DynamoDbLoad}, commands and projector writes against the server's ceiling. */
@Command(name = "dynamodb", mixinStandardHelpOptions = true,
        description = "On one embedded, in-memory DynamoDB Local, in one run: the ceiling (DynamoDB Local's own "
                + "conditional PutItem of a commit-sized item, attribute_not_exists, at 1 and --threads threads), "
                + "deposits through the command handler of a Cairn wired as the jar wires it (every domain and "
                + "projection on the class path, projectors running) at --threads threads with the write units per "
                + "command by purpose (the command's own and the projectors'); then the lag benchmark's projector "
                + "lag (merged, at half its measured capacity), each run on a DynamoDB Local of its own.")
final class DynamoDbCommand implements Callable<Integer> {

    @Option(names = "--threads", defaultValue = "16",
            description = "Threads of the concurrent ceiling and command cells. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--accounts", defaultValue = "1000",
            description = "Accounts of the command cell, shared round-robin by its threads. Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--warm-up-seconds", defaultValue = "5",
            description = "Warm-up of each cell, once before the first round. Default: ${DEFAULT-VALUE}")
    int warmUpSeconds;

    @Option(names = "--seconds", defaultValue = "8", description = "Each timed cell. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of every cell; 0: the lag runs only. Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--lag", split = ",", defaultValue = "OFF,ON",
            description = "Lag runs after the rounds, by document projections: OFF (view projectors and feed only), "
                    + "ON (as shipped), both (OFF,ON), or NONE to skip the lag part. Default: ${DEFAULT-VALUE}")
    List<DynamoDbLoad.LagRun> lag;

    @Option(names = "--lag-seconds", defaultValue = "30",
            description = "Each lag run, of which the first 5 s are warm-up. Default: ${DEFAULT-VALUE}")
    int lagSeconds;

    @Option(names = "--lag-rate", description = "Commands per second of the lag runs instead of half the capacity "
            + "measured for each (skips the capacity measurement)")
    Optional<Double> lagRate;

    @Option(names = "--lag-capacity-seconds", defaultValue = "8",
            description = "Closed-loop capacity measurement before each lag run, after 3 s of warm-up. "
                    + "Default: ${DEFAULT-VALUE}")
    int lagCapacitySeconds;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        DynamoDbLoad.Settings settings = new DynamoDbLoad.Settings(threads, accounts,
                Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), rounds,
                lag.contains(DynamoDbLoad.LagRun.NONE) ? List.of() : lag, Duration.ofSeconds(lagSeconds), lagRate,
                Duration.ofSeconds(lagCapacitySeconds));
        System.err.println("... domains: " + Domains.load().describe());
        DynamoDbLoad load = new DynamoDbLoad(settings, line -> System.err.println("... " + line));
        DynamoDbLoad.Result result = load.run();
        System.out.print(DynamoDbLoad.table(result, settings));
        System.out.printf("%nRun time: %.1f min%n", (System.nanoTime() - began) / 60e9);
        long failures = result.cells().stream().mapToLong(DynamoDbLoad.Cell::failures).sum()
                + result.lagRows().stream().mapToLong(row -> row.missing() + row.failed()).sum();
        if (failures > 0) {
            System.err.println("FAILED: " + failures + " operation(s) failed or commit(s) went missing; see the table");
            return 1;
        }
        return 0;
    }
}
