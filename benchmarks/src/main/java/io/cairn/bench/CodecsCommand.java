package io.cairn.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code codecs} subcommand: {@link Codecs}, the comparison behind the DynamoDB adapter's choice of Zstandard. */
@Command(name = "codecs", mixinStandardHelpOptions = true,
        description = "Size and encode/decode time of deflate-6, zstd-3, lz4 and snappy on ledger-style commit bodies.")
final class CodecsCommand implements Callable<Integer> {

    @Option(names = "--events", split = ",", defaultValue = "1,5,50,500",
            description = "Events per commit. Default: ${DEFAULT-VALUE}")
    List<Integer> sizes;

    @Option(names = "--commits", defaultValue = "200",
            description = "Distinct commits per size. Default: ${DEFAULT-VALUE}")
    int commits;

    @Option(names = "--seed", defaultValue = "20240301",
            description = "Seeds the commits' contents. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--warm-up-millis", defaultValue = "500",
            description = "Warm-up per codec and size (at least one round). Default: ${DEFAULT-VALUE}")
    long warmUpMillis;

    @Option(names = "--millis-per-cell", defaultValue = "1500",
            description = "Measurement per codec and size (at least two rounds). Default: ${DEFAULT-VALUE}")
    long millisPerCell;

    @Override
    public Integer call() {
        List<Codecs.Row> rows = new Codecs(line -> System.err.println("... " + line))
                .run(sizes, commits, seed, Duration.ofMillis(warmUpMillis), Duration.ofMillis(millisPerCell));
        System.out.print(Codecs.table(rows));
        return 0;
    }
}
