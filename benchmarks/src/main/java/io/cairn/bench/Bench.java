package io.cairn.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmarks behind the README's numbers. Each starts the servers it needs, runs, prints a table and stops. */
@Command(name = "cairn-benchmarks", mixinStandardHelpOptions = true,
        subcommands = {Bench.CommandCostCommand.class, CodecsCommand.class, DocumentsCommand.class, HttpCommand.class,
                DynamoDbCommand.class, LagCommand.class, PostgresCommand.class, RebuildCommand.class,
                RedeliveryCommand.class, RingCommand.class, StartupCommand.class})
public final class Bench {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    enum Store { MEMORY, DYNAMODB }

    @Command(name = "command-cost", mixinStandardHelpOptions = true,
            description = "Command latency and capacity units against stream length, for four ways of loading state.")
    static final class CommandCostCommand implements Callable<Integer> {

        @Option(names = "--store", defaultValue = "DYNAMODB", description = "MEMORY or DYNAMODB (embedded DynamoDB "
                + "Local, or --dynamodb-endpoint). Default: ${DEFAULT-VALUE}")
        Store store;

        @Option(names = "--dynamodb-endpoint",
                description = "A DynamoDB endpoint to use instead of an embedded DynamoDB Local, e.g. http://localhost:8000")
        Optional<URI> dynamoDbEndpoint;

        @Option(names = "--lengths", split = ",", defaultValue = "10,100,1000,10000",
                description = "Stream lengths, in commits. Default: ${DEFAULT-VALUE}")
        List<Integer> lengths;

        @Option(names = "--commands", defaultValue = "100", description = "Commands per cell. Default: ${DEFAULT-VALUE}")
        int commands;

        @Option(names = "--max-seconds-per-cell", defaultValue = "30",
                description = "A cell stops early after this long. Default: ${DEFAULT-VALUE}")
        int maxSecondsPerCell;

        @Override
        public Integer call() throws Exception {
            // the command path reads and writes one aggregate's streams and views: no projector runs here, so the
            // other domains' registrations do not change what is measured; they are loaded to say which they are
            System.err.println("... domains: " + Domains.load().describe());
            try (Backend backend = Backends.open(store, dynamoDbEndpoint)) {
                CommandCost benchmark = new CommandCost(backend, line -> System.err.println("... " + line));
                List<CommandCost.Cell> cells = benchmark.run(lengths, commands, Duration.ofSeconds(maxSecondsPerCell));
                System.out.print(CommandCost.table(backend.name(), cells));
            }
            return 0;
        }
    }
}
