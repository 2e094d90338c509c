package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.CommandOutcome;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.SharedDurableChannel;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionListener;
import io.cairn.application.projection.Tagged;
import io.cairn.bench.LagStores.Mode;
import io.cairn.bootstrap.DocumentWiring;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StateCodec;
import io.cairn.inventory.InventoryDomain;
import io.cairn.inventory.ProductCommand.Receive;
import io.cairn.inventory.ProductCommand.Register;
import io.cairn.inventory.ProductCommand.Release;
import io.cairn.inventory.ProductCommand.Reserve;
import io.cairn.inventory.ProductCommand.Ship;
import io.cairn.inventory.ProductCommand;
import io.cairn.inventory.ProductEvent;
import io.cairn.inventory.ProductState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * What document projections cost (issue 11): the reference projections ({@code owners} of accounts, {@code orders}
 * and {@code warehouses} of inventory products) under a steady mixed load — half deposits, half inventory commands
 * (reserve, then ship or release in turn) — measured three ways on one store:
 *
 * <ul>
 *   <li><b>Capacity</b>, closed loop: commands per second with no document projection loaded and with every one
 *       loaded, in alternating rounds of the same length on the same server, as a ratio.</li>
 *   <li><b>Ack → stored</b>, open loop at a fraction of the loaded capacity, merged (fast channel on) and durable
 *       channel only: for each projection, from {@code handle} returning on the load thread to the projection's
 *       {@link ProjectionListener#stored} callback for that commit (its documents, states and checkpoint written in
 *       one transaction). The listener runs on the projection's writer thread and takes {@link System#nanoTime()}
 *       when the store acknowledged; {@link Projection#awaitApplied} from the acking thread would block the load
 *       thread (turning the open loop into a closed one) and add its monitor wake-up to every sample.</li>
 *   <li><b>Write units per commit</b> (DynamoDB): what DynamoDB reported for each projection's store (opened on
 *       tables of its own so that the count is per projection), and what the items written would cost in theory
 *       ({@link CountingDocumentStore}: 2 per item per KB), divided by the commits the projection applied.</li>
 * </ul>
 *
 * <p>Wired as the service wires it ({@code AggregateRuntimes}): accounts and products each with a command handler
 * over its view cache and a view projector (ring 8 192, 2 shards), the live feed's projector, and each document
 * projection on a ring of its own with one shard, all sharing one read of the durable channel; a fast channel that
 * never delivers when it is off, as {@code cairn.projection.fast-channel=false} does. Each thread owns its accounts
 * and products, so commands never contend; ten accounts per owner, products spread over a few warehouses, three
 * products' reservations per order.
 */
final class DocumentLoad {

    private static final long UNSET = Long.MIN_VALUE;
    private static final long LATE_NANOS = 1_000_000;
    private static final long STOCK = 1_000_000_000L;
    private static final int LINES_PER_ORDER = 3;
    private static final int ACCOUNTS_PER_OWNER = 10;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

    private static final AggregateType<AccountCommand, AccountEvent, AccountState> ACCOUNTS = AccountsDomain.ACCOUNTS;
    private static final AggregateType<ProductCommand, ProductEvent, ProductState> PRODUCTS = InventoryDomain.PRODUCTS;

    /** How a run is shaped. */
    record Settings(int threads, int accounts, int products, int warehouses, Duration warmUp, Duration drain) {
        Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + threads);
            }
            if (accounts < threads || products < LINES_PER_ORDER * threads) {
                throw new IllegalArgumentException("each thread needs an account and " + LINES_PER_ORDER
                        + " products: accounts " + accounts + ", products " + products + ", threads " + threads);
            }
            if (warehouses < 1) {
                throw new IllegalArgumentException("warehouses must be >= 1, was " + warehouses);
            }
            requireNonNull(warmUp, "warmUp must not be null");
            requireNonNull(drain, "drain must not be null");
        }
    }

    /** One closed-loop round. */
    record Capacity(String store, boolean documents, int round, double perSecond, long commands,
                    Histogram latencyMicros) {
    }

    /** What one document projection did in one open-loop run; units are totals over the run, load only. */
    record ProjectionRow(String name, String follows, long measured, Histogram storedMicros, long storedBeforeAck,
                         long missing, long applied, long batches, CountingDocumentStore.Counts counts,
                         OptionalDouble reportedWriteUnits, OptionalDouble reportedReadUnits) {
    }

    /** One open-loop run: a store in a mode, every document projection loaded. */
    record Run(String store, Mode mode, String description, double targetPerSecond, double achievedPerSecond,
               long commands, long rejected, long failed, long late, List<ProjectionRow> projections,
               Cpu.Usage cpu) {
    }

    private final Settings settings;
    private final Domains domains;
    private final Consumer<String> progress;

    DocumentLoad(Settings settings, Domains domains, Consumer<String> progress) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.domains = requireNonNull(domains, "domains must not be null");
        this.progress = requireNonNull(progress, "progress must not be null");
        if (domains.projections().isEmpty()) {
            throw new IllegalStateException("no document projection is registered by the domains found ("
                    + domains.describe() + ")");
        }
    }

    /** Closed-loop commands per second, merged, with every document projection loaded or none. */
    Capacity capacity(LagStores.Server server, boolean documents, int round, Duration warmUp, Duration measure)
            throws Exception {
        progress.accept(String.format(Locale.ROOT, "%s: capacity round %d, document projections %s, closed loop, "
                        + "%d threads, %d s warm-up + %d s", server.name(), round,
                documents ? domains.describeProjections() : "none", settings.threads(), warmUp.toSeconds(),
                measure.toSeconds()));
        try (Session session = new Session(server, Mode.MERGED, documents, null)) {
            ClosedLoop loop = new ClosedLoop(warmUp, measure);
            session.drive(load -> loop.loop(() -> load.next(session, UUID.randomUUID())));
            double perSecond = loop.perSecond();
            Histogram latency = loop.latency();
            progress.accept(String.format(Locale.ROOT, "%s: %,.0f commands/s (p50 %.2f ms, p99 %.2f ms)",
                    server.name(), perSecond, latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0));
            return new Capacity(server.name(), documents, round, perSecond, loop.done(), latency);
        }
    }

    /** Ack → stored per document projection under an open-loop load of {@code rate} commands/s for {@code length}. */
    Run run(LagStores.Server server, Mode mode, double rate, Duration length) throws Exception {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        if (length.compareTo(settings.warmUp()) <= 0) {
            throw new IllegalArgumentException("the run (" + length + ") must be longer than the warm-up ("
                    + settings.warmUp() + ")");
        }
        String description = server.describe(mode);
        progress.accept(String.format(Locale.ROOT, "%s, %s: %,.0f commands/s for %d s", server.name(), description,
                rate, length.toSeconds()));
        Map<UUID, Sample> samples = new ConcurrentHashMap<>();
        try (Session session = new Session(server, mode, true, samples)) {
            List<Before> before = session.before();
            Cpu.Reading cpuBefore = Cpu.read();
            long periodNanos = (long) (settings.threads() * 1e9 / rate);
            long start = System.nanoTime() + 10_000_000;
            long measureFrom = start + settings.warmUp().toNanos();
            long end = start + length.toNanos();
            LongAdder failed = new LongAdder();
            LongAdder rejected = new LongAdder();
            LongAdder late = new LongAdder();
            session.drive(load -> {
                long next = start + load.thread * periodNanos / settings.threads();
                while (next < end) {
                    long now;
                    while ((now = System.nanoTime()) < next) {
                        LockSupport.parkNanos(next - now);
                    }
                    if (now - next > LATE_NANOS) {
                        late.increment();
                    }
                    UUID id = UUID.randomUUID();
                    Sample sample = new Sample(next, load.nextCategory(), session.projections.size());
                    samples.put(id, sample);
                    try {
                        CommandOutcome outcome = load.next(session, id);
                        if (outcome instanceof CommandOutcome.Rejected rejection) {
                            sample.failed = true;
                            rejected.increment();
                            progress.accept("a command was rejected: " + rejection.rejection());
                        } else {
                            sample.ack = System.nanoTime();
                        }
                    } catch (RuntimeException e) {
                        sample.failed = true;
                        failed.increment();
                        progress.accept("a command failed: " + e);
                    }
                    next += periodNanos;
                }
            });
            Cpu.Usage cpu = Cpu.read().since(cpuBefore);
            session.awaitSamples(samples, settings.drain().plus(mode.pollInterval.multipliedBy(3)));

            List<ProjectionRow> rows = new ArrayList<>();
            long commands = 0;
            for (int j = 0; j < session.projections.size(); j++) {
                Loaded loaded = session.projections.get(j);
                Histogram stored = new Histogram(3_600_000_000L, 3);
                long measured = 0;
                long beforeAck = 0;
                long missing = 0;
                for (Sample sample : samples.values()) {
                    if (sample.failed || sample.ack == UNSET || sample.scheduled < measureFrom
                            || !sample.category.equals(loaded.follows)) {
                        continue;
                    }
                    long at = sample.stored.get(j);
                    if (at == UNSET) {
                        missing++;
                        continue;
                    }
                    measured++;
                    if (at < sample.ack) {
                        beforeAck++;
                    }
                    stored.recordValue(Math.max(0, at - sample.ack) / 1_000);
                }
                Before was = before.get(j);
                rows.add(new ProjectionRow(loaded.name, loaded.follows, measured, stored, beforeAck, missing,
                        loaded.projection.applied() - was.applied, loaded.projection.batches() - was.batches,
                        loaded.counter.counts().minus(was.counts),
                        minus(session.stores.documentStores().writeUnits(loaded.name), was.writeUnits),
                        minus(session.stores.documentStores().readUnits(loaded.name), was.readUnits)));
            }
            for (Sample sample : samples.values()) {
                if (!sample.failed && sample.ack != UNSET && sample.scheduled >= measureFrom) {
                    commands++;
                }
            }
            double achieved = commands / ((end - measureFrom) / 1e9);
            Run run = new Run(server.name(), mode, description, rate, achieved, commands, rejected.sum(),
                    failed.sum(), late.sum(), rows, cpu);
            for (ProjectionRow row : rows) {
                progress.accept(String.format(Locale.ROOT, "%s, %s, %s: stored p50 %s / p99 %s ms, %d measured, "
                                + "%d missing", server.name(), description, row.name(), Lag.ms(row.storedMicros(), 50),
                        Lag.ms(row.storedMicros(), 99), row.measured(), row.missing()));
            }
            return run;
        }
    }

    private static OptionalDouble minus(OptionalDouble now, OptionalDouble before) {
        return now.isPresent() && before.isPresent() ? OptionalDouble.of(now.getAsDouble() - before.getAsDouble())
                : OptionalDouble.empty();
    }

    /** The capacity rounds, the ratio, the ack → stored table and the units table, as Markdown. */
    static String table(List<Capacity> capacities, List<Run> runs, String load, Settings settings, Duration length,
                        Domains domains) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Document projections %s; domains %s; %d threads, each with its own "
                        + "accounts and products (%,d accounts, %d per owner; %,d products in %d warehouses; %d "
                        + "reservations per order); half deposits, half reserve / ship-or-release; %d cores shared "
                        + "by load, projectors and store; Java %s.%n%n", domains.describeProjections(),
                domains.describe(), settings.threads(), settings.accounts(), ACCOUNTS_PER_OWNER, settings.products(),
                settings.warehouses(), LINES_PER_ORDER, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        if (!capacities.isEmpty()) {
            out.append("| store | document projections | round | commands/s | command p50 ms | p99 ms |\n");
            out.append("|---|---|---:|---:|---:|---:|\n");
            for (Capacity capacity : capacities) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %s | %s |%n", capacity.store(),
                        capacity.documents() ? domains.describeProjections() : "none", capacity.round(),
                        capacity.perSecond(), Lag.ms(capacity.latencyMicros(), 50),
                        Lag.ms(capacity.latencyMicros(), 99)));
            }
            out.append('\n');
            for (String store : capacities.stream().map(Capacity::store).distinct().toList()) {
                double none = mean(capacities, store, false);
                double loaded = mean(capacities, store, true);
                out.append(String.format(Locale.ROOT, "- %s: with %d document projections %,.0f commands/s against "
                                + "%,.0f with none (means of the rounds): **%.2f×**%n", store,
                        domains.projections().size(), loaded, none, loaded / none));
            }
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "Ack → stored in ms, open loop %s, %d s per run of which the first %d s "
                        + "are warm-up:%n%n", load, length.toSeconds(), settings.warmUp().toSeconds()));
        out.append("| store | feed | target /s | achieved /s | projection | follows | commits | stored p50 | p99 "
                + "| p99.9 | max | before ack | missing | commits / write |\n");
        out.append("|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            for (ProjectionRow row : run.projections()) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %s | %s | %,d | %s | %s | %s | %s "
                                + "| %,d | %d | %.1f |%n", run.store(), run.description(), run.targetPerSecond(),
                        run.achievedPerSecond(), row.name(), row.follows(), row.measured(),
                        Lag.ms(row.storedMicros(), 50), Lag.ms(row.storedMicros(), 99),
                        Lag.ms(row.storedMicros(), 99.9), Lag.max(row.storedMicros()), row.storedBeforeAck(),
                        row.missing(), row.counts().writes() == 0 ? 0.0
                                : (double) row.applied() / row.counts().writes()));
            }
        }
        out.append('\n');
        out.append("| store | feed | rejected | failed | late starts (>1 ms) | cores busy: this JVM | others |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %,d | %s | %s |%n", run.store(),
                    run.description(), run.rejected(), run.failed(), run.late(), run.cpu().jvm(),
                    run.cpu().others()));
        }
        boolean charged = runs.stream().flatMap(run -> run.projections().stream())
                .anyMatch(row -> row.reportedWriteUnits().isPresent());
        if (charged) {
            out.append('\n');
            out.append("DynamoDB write units per commit applied, over the whole run (warm-up and drain included): "
                    + "*reported* is what DynamoDB Local returned as consumed capacity for the projection's calls; "
                    + "*theoretical* is 2 units per item per KB (rounded up) of the items each TransactWriteItems "
                    + "wrote (documents, states, checkpoint).\n\n");
            out.append("| store | feed | projection | commits applied | transactions | items / transaction "
                    + "| items over 1 KB | reported WCU / commit | theoretical WCU / commit | reported RCU / commit |\n");
            out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Run run : runs) {
                for (ProjectionRow row : run.projections()) {
                    if (row.reportedWriteUnits().isEmpty()) {
                        continue;
                    }
                    CountingDocumentStore.Counts counts = row.counts();
                    double commits = Math.max(1, row.applied());
                    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %.1f | %,d | %.2f | %.2f "
                                    + "| %.2f |%n", run.store(), run.description(), row.name(), row.applied(),
                            counts.writes(), counts.writes() == 0 ? 0.0 : (double) counts.items() / counts.writes(),
                            counts.overOneKb(), row.reportedWriteUnits().getAsDouble() / commits,
                            counts.theoreticalUnits() / commits,
                            row.reportedReadUnits().orElse(0) / commits));
                }
            }
        }
        return out.toString();
    }

    private static double mean(List<Capacity> capacities, String store, boolean documents) {
        return capacities.stream().filter(c -> c.store().equals(store) && c.documents() == documents)
                .mapToDouble(Capacity::perSecond).average().orElse(Double.NaN);
    }

    /** One measured command: when it was due and acknowledged, and when each projection stored it. */
    static final class Sample {
        final long scheduled;
        final String category;
        final AtomicLongArray stored;
        volatile long ack = UNSET;
        volatile boolean failed;

        Sample(long scheduled, String category, int projections) {
            this.scheduled = scheduled;
            this.category = category;
            this.stored = new AtomicLongArray(projections);
            for (int j = 0; j < projections; j++) {
                stored.set(j, UNSET);
            }
        }
    }

    /** A document projection of the session, with its counting store. */
    private record Loaded(String name, String follows, Projection<?, ?> projection,
                          CountingDocumentStore<?> counter) {
    }

    /** What a projection had done when the load began. */
    private record Before(long applied, long batches, CountingDocumentStore.Counts counts, OptionalDouble writeUnits,
                          OptionalDouble readUnits) {
    }

    /** One load thread's accounts and products, and where each product is in its reserve → settle cycle. */
    private static final class Load {
        final int thread;
        final List<String> accounts;
        final List<String> products;
        final String[] pending;
        long step;
        int account;
        int product;
        long reserves;
        long settled;

        Load(int thread, List<String> accounts, List<String> products) {
            this.thread = thread;
            this.accounts = accounts;
            this.products = products;
            this.pending = new String[products.size()];
        }

        String nextCategory() {
            return step % 2 == 0 ? ACCOUNTS.category() : PRODUCTS.category();
        }

        /** Every other command a deposit; between them, per product in turn, a reservation or its settlement. */
        CommandOutcome next(Session session, UUID id) {
            if (step++ % 2 == 0) {
                return session.accounts.handle(accounts.get(account++ % accounts.size()), id, new Deposit(1));
            }
            int p = product++ % products.size();
            String sku = products.get(p);
            if (pending[p] == null) {
                String order = "order-" + thread + "-" + reserves++ / LINES_PER_ORDER;
                pending[p] = order;
                return session.products.handle(sku, id, new Reserve(order, 1));
            }
            String order = pending[p];
            pending[p] = null;
            return session.products.handle(sku, id, settled++ % 2 == 0 ? new Ship(order) : new Release(order));
        }
    }

    @FunctionalInterface
    private interface Driver {
        void drive(Load load) throws Exception;
    }

    /** The service's wiring of both domains on fresh stores, accounts opened and products stocked. */
    private final class Session implements AutoCloseable {
        final LagStores.Run stores;
        final List<DisruptorProjector> projectors = new ArrayList<>();
        final List<Loaded> projections = new ArrayList<>();
        final List<Projection<?, ?>> views = new ArrayList<>();
        final List<String> accountIds = new ArrayList<>();
        final List<String> productIds = new ArrayList<>();
        CommandHandler<AccountCommand, AccountEvent, AccountState> accounts;
        CommandHandler<ProductCommand, ProductEvent, ProductState> products;
        Projection<AccountEvent, AccountState> accountsView;
        Projection<ProductEvent, ProductState> productsView;

        /** @param samples where the projections' listeners note stored times; null: no listener */
        Session(LagStores.Server server, Mode mode, boolean documents, Map<UUID, Sample> samples) throws Exception {
            this.stores = server.open(mode);
            try {
                InProcessFastChannel fast = new InProcessFastChannel();
                FastChannel listened = mode.fast ? fast : FastChannel.none();
                SharedDurableChannel durable = new SharedDurableChannel(stores.durable(), Lag.RING_SIZE);
                CachingViewStore<AccountState> accountViews = CachingViewStore.over(stores.views(),
                        Lag.VIEW_CACHE_SIZE);
                accountsView = viewProjection(ACCOUNTS, accountViews);
                accounts = commands(ACCOUNTS, accountViews, fast);
                CachingViewStore<ProductState> productViews = CachingViewStore.over(
                        stores.viewStores().open(PRODUCTS.collection(), PRODUCTS.state()), Lag.VIEW_CACHE_SIZE);
                productsView = viewProjection(PRODUCTS, productViews);
                products = commands(PRODUCTS, productViews, fast);
                views.add(accountsView);
                views.add(productsView);
                projectors.add(Lag.ring(accountsView, durable, listened));
                projectors.add(Lag.ring(productsView, durable, listened));
                for (AggregateType<?, ?, ?> type : domains.others()) {
                    if (!type.collection().equals(PRODUCTS.collection())) {
                        projectors.add(Lag.projectorOf(type, stores, durable, listened));
                    }
                }
                projectors.add(Lag.feedProjector(stores, durable, listened));
                if (documents) {
                    boolean estimate = stores.documentStores().charged();
                    for (DocumentProjection<?> registered : domains.projections()) {
                        Loaded loaded = load(registered, estimate);
                        int index = projections.size();
                        projections.add(loaded);
                        if (samples != null) {
                            loaded.projection.addListener(new ProjectionListener() {
                                @Override
                                public void stored(List<RecordedCommit> commits, long nanoTime) {
                                    for (RecordedCommit commit : commits) {
                                        Sample sample = samples.get(commit.commitId());
                                        if (sample != null) {
                                            sample.stored.compareAndSet(index, UNSET, nanoTime);
                                        }
                                    }
                                }
                            });
                        }
                        projectors.add(Lag.documentRing(loaded.projection, durable, listened));
                    }
                }
                for (DisruptorProjector projector : projectors) {
                    projector.start();
                }
                durable.open();
                setUp();
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        private <E, S> Projection<E, S> viewProjection(AggregateType<?, E, S> type, CachingViewStore<S> views) {
            return Projection.builder(type.collection() + "-view", type.aggregate(), type.events(), stores.events(),
                            views, stores.checkpoints())
                    .globalLog(stores.log())
                    .gapWait(Lag.GAP_WAIT)
                    .build();
        }

        private <C, E, S> CommandHandler<C, E, S> commands(AggregateType<C, E, S> type, CachingViewStore<S> views,
                                                           InProcessFastChannel fast) {
            return CommandHandler.builder(type.aggregate(), type.events(), stores.events())
                    .views(views)
                    .fastChannel(fast)
                    .build();
        }

        private <D> Loaded load(DocumentProjection<D> registered, boolean estimate) {
            StateCodec<Tagged> states = DocumentWiring.states(registered);
            DocumentStore<Tagged> opened = stores.documentStores().open(registered.name(), states);
            CountingDocumentStore<Tagged> counter = new CountingDocumentStore<>(opened, states, estimate);
            Projection<Object, Tagged> projection = Lag.documentProjection(registered, counter, stores);
            return new Loaded(registered.name(), DocumentWiring.categories(registered), projection, counter);
        }

        /** Opens the accounts, registers and stocks the products, and waits until every projection applied it. */
        private void setUp() throws Exception {
            int owners = Math.max(1, settings.accounts() / ACCOUNTS_PER_OWNER);
            for (int i = 0; i < settings.accounts(); i++) {
                accountIds.add("acct-" + i);
            }
            for (int i = 0; i < settings.products(); i++) {
                productIds.add("sku-" + i);
            }
            drive(load -> {
                for (String id : load.accounts) {
                    int index = Integer.parseInt(id.substring(5));
                    accounts.handle(id, UUID.randomUUID(), new OpenAccount("owner-" + index % owners, "EUR", 0));
                }
                for (String sku : load.products) {
                    int index = Integer.parseInt(sku.substring(4));
                    products.handle(sku, UUID.randomUUID(), new Register("product " + index,
                            "warehouse-" + index % settings.warehouses()));
                    products.handle(sku, UUID.randomUUID(), new Receive(STOCK));
                }
            });
            long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
            awaitApplied(accountsView, settings.accounts(), deadline);
            awaitApplied(productsView, 2L * settings.products(), deadline);
            for (Loaded loaded : projections) {
                long expected = loaded.follows.equals(ACCOUNTS.category()) ? settings.accounts()
                        : 2L * settings.products();
                awaitApplied(loaded.projection, expected, deadline);
            }
        }

        private void awaitApplied(Projection<?, ?> projection, long expected, long deadline)
                throws InterruptedException {
            while (projection.applied() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(projection.name() + " applied only " + projection.applied()
                            + " of the " + expected + " set-up commits within " + SETUP_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(5);
            }
        }

        /** What each document projection had done so far, read once the store is set up. */
        List<Before> before() {
            List<Before> before = new ArrayList<>();
            for (Loaded loaded : projections) {
                before.add(new Before(loaded.projection.applied(), loaded.projection.batches(),
                        loaded.counter.counts(), stores.documentStores().writeUnits(loaded.name),
                        stores.documentStores().readUnits(loaded.name)));
            }
            return before;
        }

        /** Runs {@code driver} on every load thread, each with the accounts and products {@code i % threads}. */
        void drive(Driver driver) throws Exception {
            int threads = settings.threads();
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "bench-load");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Load load = new Load(t, everyNth(accountIds, t, threads), everyNth(productIds, t, threads));
                    running.add(pool.submit(() -> {
                        driver.drive(load);
                        return null;
                    }));
                }
                for (Future<?> future : running) {
                    future.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private static List<String> everyNth(List<String> ids, int thread, int threads) {
            List<String> mine = new ArrayList<>();
            for (int i = thread; i < ids.size(); i += threads) {
                mine.add(ids.get(i));
            }
            return mine;
        }

        /** Waits until every acknowledged sample is stored by each projection that follows it, or {@code timeout}. */
        void awaitSamples(Map<UUID, Sample> samples, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                boolean pending = false;
                for (Sample sample : samples.values()) {
                    if (!done(sample)) {
                        pending = true;
                        break;
                    }
                }
                if (!pending) {
                    return;
                }
                Thread.sleep(20);
            }
        }

        private boolean done(Sample sample) {
            if (sample.failed || sample.ack == UNSET) {
                return true;
            }
            for (int j = 0; j < projections.size(); j++) {
                if (projections.get(j).follows.equals(sample.category) && sample.stored.get(j) == UNSET) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws Exception {
            try {
                Lag.stopAll(projectors);
            } finally {
                stores.close();
            }
        }
    }
}
