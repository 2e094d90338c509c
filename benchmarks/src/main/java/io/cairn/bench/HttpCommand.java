package io.cairn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code http} subcommand: {@link HttpLoad}, commands over HTTP against commands in process, per store. */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Deposits over HTTP (a closed loop per connection, unique "
                + "Idempotency-Keys) against the same deposits in process (Cairn.aggregate(...).handle) and the "
                + "cached GET /accounts/{id}, on one running service per store (HTTP on 127.0.0.1, port 0, the "
                + "rate limit raised to " + HttpLoad.RATE_LIMIT + "/s).")
final class HttpCommand implements Callable<Integer> {

    enum Target { MEMORY, DYNAMODB, POSTGRES, ALL }

    @Option(names = "--store", split = ",", defaultValue = "ALL",
            description = "MEMORY, DYNAMODB (the service's default: an embedded DynamoDB Local), POSTGRES (an "
                    + "embedded PostgreSQL, fsync on), a comma-separated list, or ALL. Default: ${DEFAULT-VALUE}")
    List<Target> stores;

    @Option(names = "--connections", defaultValue = "16",
            description = "Client connections (and in-process threads), each with one request in flight. "
                    + "Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = "--accounts", defaultValue = "1000",
            description = "Accounts opened first; each connection goes round its own share. Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--warm-up-seconds", defaultValue = "20",
            description = "Deposits over HTTP, with the first client, before the first measurement (the JIT). "
                    + "Default: ${DEFAULT-VALUE}")
    int warmUpSeconds;

    @Option(names = "--settle-seconds", defaultValue = "2",
            description = "Unmeasured load before the in-process and the GET measurement. Default: ${DEFAULT-VALUE}")
    int settleSeconds;

    @Option(names = "--seconds", defaultValue = "8",
            description = "Each measurement. Default: ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--clients", split = ",", defaultValue = "JDK,SOCKET",
            description = "HTTP load generators, each measured on the same service: JDK (java.net.http.HttpClient), "
                    + "SOCKET (a kept-alive socket per thread, requests written by hand). Default: ${DEFAULT-VALUE}")
    List<HttpLoad.Client> clients;

    @Override
    public Integer call() throws Exception {
        long began = System.nanoTime();
        HttpLoad.Settings settings = new HttpLoad.Settings(connections, accounts, Duration.ofSeconds(warmUpSeconds),
                Duration.ofSeconds(settleSeconds), Duration.ofSeconds(seconds));
        System.err.println("... domains: " + Domains.load().describe());
        HttpLoad load = new HttpLoad(settings, line -> System.err.println("... " + line));
        List<HttpLoad.Store> chosen = new ArrayList<>();
        for (Target target : stores) {
            switch (target) {
                case MEMORY -> chosen.add(HttpLoad.Store.MEMORY);
                case DYNAMODB -> chosen.add(HttpLoad.Store.DYNAMODB);
                case POSTGRES -> chosen.add(HttpLoad.Store.POSTGRES);
                case ALL -> chosen.addAll(List.of(HttpLoad.Store.values()));
            }
        }
        List<HttpLoad.Row> rows = new ArrayList<>();
        for (HttpLoad.Store store : chosen) {
            try (HttpLoad.Service service = HttpLoad.start(store)) {
                rows.add(load.run(service, clients));
            }
        }
        System.out.print(HttpLoad.table(rows, settings));
        System.out.printf("%nRun time: %.1f min%n", (System.nanoTime() - began) / 60e9);
        long failures = rows.stream().mapToLong(HttpLoad.Row::failures).sum();
        if (failures > 0) {
            System.err.println("FAILED: " + failures + " request(s) or command(s) were refused; see the table");
            return 1;
        }
        return 0;
    }
}
