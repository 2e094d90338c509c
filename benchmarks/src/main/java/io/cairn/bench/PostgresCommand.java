package io.cairn.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code postgres} subcommand: {@link PostgresLoad}, commands and appends against the server's ceiling. */
@Command(name = "postgres", mixinStandardHelpOptions = true,
        description = "On one embedded PostgreSQL (fsync on), in one run: the ceiling (one prepared single-row "
                + "INSERT per transaction), EventStore.append alone, and deposits through the command handler of a "
                + "Cairn wired as the jar wires it (projectors running), at 1 thread over streams of each length "
                + "and at --threads threads; every figure as a ratio to the same round's ceiling.")
final class PostgresCommand implements Callable<Integer> {

    @Option(names = "--threads", defaultValue = "16",
            description = "Connections, writers and command threads of the concurrent cells. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--lengths", split = ",", defaultValue = "10,100,1000,10000",
            description = "Stream lengths of the 1-thread command cells, in commits. Default: ${DEFAULT-VALUE}")
    List<Integer> lengths;

    @Option(names = "--commands", defaultValue = "500",
            description = "Commands per 1-thread cell and round. Default: ${DEFAULT-VALUE}")
    int commands;

    @Option(names = "--accounts", defaultValue = "1000",
            description = "Accounts of the concurrent command cell. Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--warm-up-seconds", defaultValue = "5",
            description = "Warm-up of each cell, before the first round. Default: ${DEFAULT-VALUE}")
    int warmUpSeconds;

    @Option(names = "--seconds", defaultValue = "5", description = "Each timed cell. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of every cell. Default: ${DEFAULT-VALUE}")
    int rounds;

    @Option(names = "--pause-millis", defaultValue = "10",
            description = "Pause between the commands of the low-load cell. Default: ${DEFAULT-VALUE}")
    int pauseMillis;

    @Option(names = "--paced-commands", defaultValue = "300",
            description = "Commands of the low-load cell per round. Default: ${DEFAULT-VALUE}")
    int pacedCommands;

    @Option(names = "--profile", description = "Sample PostgreSQL's wait events (pg_stat_activity) and print "
            + "pg_stat_statements for every cell (loads the extension; costs some CPU)")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        PostgresLoad.Settings settings = new PostgresLoad.Settings(threads, lengths, commands, accounts,
                Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), rounds,
                Duration.ofMillis(pauseMillis), pacedCommands, profile);
        System.err.println("... domains: " + Domains.load().describe());
        PostgresLoad load = new PostgresLoad(settings, line -> System.err.println("... " + line));
        List<PostgresLoad.Cell> cells = load.run();
        System.out.print(PostgresLoad.table(cells, settings));
        System.out.printf("%n%s%n", load.idle());
        System.out.printf("%nRun time: %.1f min%n", (System.nanoTime() - began) / 60e9);
        long failures = cells.stream().mapToLong(PostgresLoad.Cell::failures).sum();
        if (failures > 0) {
            System.err.println("FAILED: " + failures + " operation(s) were refused; see the table");
            return 1;
        }
        return 0;
    }
}
