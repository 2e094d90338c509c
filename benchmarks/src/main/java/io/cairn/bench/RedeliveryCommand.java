package io.cairn.bench;

import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.CommandOutcome;
import io.cairn.bootstrap.AggregateRuntime;
import io.cairn.bootstrap.Cairn;
import io.cairn.bootstrap.CairnConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code redelivery} subcommand: how often a commit reaches a projection twice (once as the fast channel's hint,
 * once from the durable channel), and what the projector threads cost per commit, at a paced rate on the memory
 * store with every domain loaded, as the jar wires it.
 */
@Command(name = "redelivery", mixinStandardHelpOptions = true,
        description = "Deposits at a paced rate on the memory store (every domain on the class path, their projectors "
                + "and the live feed): commits each projection got twice (cairn_projector_duplicates_total) and the "
                + "CPU of the projector and durable-channel threads, per commit.")
final class RedeliveryCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "2000", description = "Commands per second, all threads together. "
            + "Default: ${DEFAULT-VALUE}")
    int rate;

    @Option(names = "--threads", defaultValue = "16", description = "Command threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--commands", defaultValue = "40000", description = "Commands measured, after as many "
            + "unmeasured. Default: ${DEFAULT-VALUE}")
    int commands;

    @Option(names = "--accounts", defaultValue = "1000", description = "Accounts, ten per owner. "
            + "Default: ${DEFAULT-VALUE}")
    int accounts;

    @Option(names = "--burst", description = "First as many commands as fast as the threads go (the projections "
            + "fall behind and catch up), then the unmeasured and the measured ones at the rate")
    boolean burst;

    /** Commands the handler did not accept. */
    private final AtomicLong refused = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        ScratchDirectory dataDir = ScratchDirectory.create("cairn-redelivery-");
        Map<String, String> config = HttpLoad.config(HttpLoad.Store.MEMORY, dataDir.path());
        try (dataDir; Cairn cairn = Cairn.builder().config(CairnConfig.of(config)).domainsFromClassPath().start()) {
            URI base = URI.create("http://127.0.0.1:" + cairn.httpPort());
            var handler = cairn.aggregate(AccountsDomain.ACCOUNTS);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                ids.add("r-" + i);
                handler.handle(ids.get(i), UUID.randomUUID(), new OpenAccount("owner-" + i / 10, "EUR", 0));
            }
            if (burst) {
                System.err.printf(Locale.ROOT, "... %,d commands as fast as %d threads go%n", commands, threads);
                paced(ids, handler, 0);
                ProjectionBacklog.awaitCaughtUp(base, java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofMillis(50));
            }
            System.err.printf(Locale.ROOT, "... %,d unmeasured commands at %,d/s%n", commands, rate);
            paced(ids, handler, rate);
            ProjectionBacklog.awaitCaughtUp(base, java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(50));
            long duplicates0 = ProjectionBacklog.duplicates(base);
            Map<String, Long> byProjection0 = ProjectionBacklog.duplicatesByLabels(base);
            Map<String, Long> threads0 = ThreadCpu.read();
            long wall0 = System.nanoTime();
            System.err.printf(Locale.ROOT, "... %,d measured commands at %,d/s on %d threads%n", commands, rate,
                    threads);
            paced(ids, handler, rate);
            ProjectionBacklog.awaitCaughtUp(base, java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(50));
            long wall = System.nanoTime() - wall0;
            Map<String, Double> cores = ThreadCpu.since(threads0, ThreadCpu.read(), wall);
            long duplicates = ProjectionBacklog.duplicates(base) - duplicates0;
            int projections = ProjectionBacklog.projections(base);
            System.out.printf(Locale.ROOT, "memory store, %,d deposits at %,d/s from %d threads, %d projections%n%n",
                    commands, rate, threads, projections);
            System.out.printf(Locale.ROOT, "commits a projection got twice, per commit and projection: %.3f%n",
                    duplicates / (double) commands / projections);
            ProjectionBacklog.duplicatesByLabels(base).forEach((labels, count) -> System.out.printf(Locale.ROOT,
                    "  %-48s %.3f per commit%n", labels,
                    (count - byProjection0.getOrDefault(labels, 0L)) / (double) commands));
            System.out.println("CPU per commit, µs, by thread kind, from the measured commands' start until the "
                    + "projections caught up (pool-: the command threads; C: the JIT):");
            cores.forEach((kind, used) -> {
                double micros = used * wall / 1e3 / commands;
                if (micros >= 1) {
                    System.out.printf(Locale.ROOT, "  %-24s %7.1f%n", kind, micros);
                }
            });
        }
        if (refused.get() > 0) {
            System.err.println("FAILED: " + refused.get() + " command(s) were refused");
            return 1;
        }
        return 0;
    }

    /** {@link #commands} deposits spread over the accounts, each thread at its share of {@code rate} (0: unpaced). */
    private void paced(List<String> ids, AggregateRuntime<AccountCommand, AccountEvent, AccountState> handler,
                       int rate) throws Exception {
        long interval = rate == 0 ? 0 : 1_000_000_000L * threads / rate;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    long due = start + interval * thread / threads;
                    for (int i = thread; i < commands; i += threads) {
                        HttpLoad.sleepUntil(due);
                        due += interval;
                        if (!(handler.handle(ids.get(i % ids.size()), UUID.randomUUID(), new Deposit(1))
                                instanceof CommandOutcome.Accepted)) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
