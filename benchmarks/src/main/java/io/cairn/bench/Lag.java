package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.SharedDurableChannel;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Subscription;
import io.cairn.application.projection.Ordering;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionListener;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.application.projection.Tagged;
import io.cairn.bench.LagStores.Mode;
import io.cairn.bootstrap.DocumentWiring;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.domain.RecordedCommit;
import io.cairn.json.JacksonEventCodec;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Write→view lag, the low-latency article's claim: how long after a command is acknowledged its effect is visible
 * to queries (the projector has shown the view in the cache the command handler and queries read) and durable (the
 * view store holds it; on PostgreSQL together with the checkpoint), under a steady open-loop load at a fraction of
 * what the store sustains.
 *
 * <p>Everything is wired as the service wires every registered aggregate ({@code AggregateRuntimes} in the
 * bootstrap module): a {@link CommandHandler} reading views through a {@link CachingViewStore} and publishing to an
 * {@link InProcessFastChannel}, a {@link Projection} of the accounts ({@code accounts-view}) over the same cache,
 * and a {@link DisruptorProjector} fed by the store's durable channel and, in the merged mode, the fast channel
 * (otherwise a fast channel that never delivers, as {@code projection.fast-channel = false} does). Ring 8 192,
 * 2 shards (DynamoDB), gap wait 500 µs: the service's defaults. No snapshot store: every command finds its view.
 *
 * <p><b>Every domain loaded.</b> As the service serves every aggregate of every domain on its class path, each
 * aggregate that {@link Domains#load() ServiceLoader finds} besides accounts gets its own wiring too, on the same
 * stores, durable channel and fast channel: a {@link CachingViewStore} on the views named by its collection, a
 * {@link Projection} {@code <collection>-view} and a {@link DisruptorProjector}, started and stopped with the
 * accounts one. The load is on accounts only; the other projectors follow every commit and skip it (they filter
 * by category), as in the service. Which domains were loaded is printed and noted in the table.
 *
 * <p><b>Capacity.</b> Closed loop: {@code threads} threads each deposit on accounts of their own (of
 * {@code accounts} opened first, so that writers never contend), as fast as acknowledgements come back, with the
 * merged projector running; commands per second over the measurement after a warm-up.
 *
 * <p><b>Lag.</b> Open loop: the same threads issue deposits on a fixed schedule (each thread every
 * {@code threads / rate} seconds, staggered), whatever the latency; a thread that falls behind catches up at once.
 * The acknowledgement time of a command is {@link System#nanoTime()} when {@code handle} returns; a
 * {@link ProjectionListener} notes when its commit became visible and when it was stored (matched by commit id,
 * which is the command id). Lag = listener time − acknowledgement time. In the merged mode the projector may show
 * the view before {@code handle} has returned (the fast channel is published from inside it): such a lag is
 * recorded as 0 and counted. Commands scheduled in the warm-up are not measured. After the load, the run waits for
 * every acknowledged commit to be visible and stored; those that never are are counted missing.
 */
final class Lag {

    /** The suffix of an aggregate's view projection's name, as the service names it. */
    private static final String VIEW_PROJECTION_SUFFIX = "-view";
    private static final String PROJECTION = "accounts" + VIEW_PROJECTION_SUFFIX;
    /** The live feed's projection, as the service names it. */
    private static final String FEED_PROJECTION = "live-feed";
    static final int RING_SIZE = 8_192;
    private static final int SHARDS = 2;
    static final long VIEW_CACHE_SIZE = 100_000;
    static final Duration GAP_WAIT = Duration.ofNanos(500_000);
    private static final long UNSET = Long.MIN_VALUE;
    private static final long LATE_NANOS = 1_000_000;

    /** How a run is shaped. */
    record Settings(int threads, int accounts, Duration warmUp, Duration drain) {
        Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + threads);
            }
            if (accounts < threads) {
                throw new IllegalArgumentException("accounts must be >= threads, was " + accounts);
            }
            requireNonNull(warmUp, "warmUp must not be null");
            requireNonNull(drain, "drain must not be null");
        }
    }

    /** The closed-loop capacity of a store. */
    record Capacity(String store, double perSecond, long commands, Histogram latencyMicros, long conflicts) {
    }

    /** One row of the table: a store in a mode. */
    record Row(String store, Mode mode, String description, double targetPerSecond, double achievedPerSecond,
               long measured, Histogram visibleMicros, Histogram storedMicros, long visibleBeforeAck,
               long storedBeforeAck, long missing, long failed, long late, long conflicts, long gapWaits,
               long gapCommitsRead, long dropped, long duplicates, long applied, long batches, long gcMillis,
               Cpu.Usage cpu, Histogram writeMicros, double busyWriting) {
    }

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    private final Settings settings;
    private final Domains domains;
    private final Consumer<String> progress;

    /** @param domains every domain loaded; the aggregates other than accounts are wired beside it */
    Lag(Settings settings, Domains domains, Consumer<String> progress) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.domains = requireNonNull(domains, "domains must not be null");
        this.progress = requireNonNull(progress, "progress must not be null");
    }

    /** Commands per second the store sustains, closed loop, with the merged projector running. */
    Capacity capacity(LagStores.Server server, Duration warmUp, Duration measure) throws Exception {
        return capacity(server, warmUp, measure, false);
    }

    /**
     * Commands per second the store sustains, closed loop, with the merged projector running and, with
     * {@code documents}, every registered document projection beside it.
     */
    Capacity capacity(LagStores.Server server, Duration warmUp, Duration measure, boolean documents)
            throws Exception {
        progress.accept(server.name() + ": capacity, closed loop, " + settings.threads() + " threads, "
                + warmUp.toSeconds() + " s warm-up + " + measure.toSeconds() + " s"
                + (documents ? ", document projections: " + domains.describeProjections() : ""));
        try (Session session = new Session(server, Mode.MERGED, null, documents)) {
            ClosedLoop loop = new ClosedLoop(warmUp, measure);
            session.drive((thread, mine) -> {
                int[] i = {0};
                loop.loop(() -> session.handler.handle(mine.get(i[0]++ % mine.size()), UUID.randomUUID(),
                        new Deposit(1)));
            });
            double perSecond = loop.perSecond();
            Histogram latency = loop.latency();
            long conflicts = session.handler.conflicts();
            progress.accept(String.format(Locale.ROOT, "%s: capacity %,.0f commands/s (p50 %.2f ms, p99 %.2f ms, "
                            + "%,d conflicts)", server.name(), perSecond, latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0, conflicts));
            return new Capacity(documents ? server.name() + " + document projections" : server.name(), perSecond,
                    loop.done(), latency, conflicts);
        }
    }

    /** Lag in {@code mode} under an open-loop load of {@code rate} commands per second for {@code length}. */
    Row run(LagStores.Server server, Mode mode, double rate, Duration length) throws Exception {
        return run(server, mode, rate, length, false);
    }

    /**
     * Lag in {@code mode} under an open-loop load of {@code rate} commands per second for {@code length}; with
     * {@code documents}, every registered document projection runs beside the view projectors (the owners one
     * follows the deposits, the others follow and skip them), as in the service.
     */
    Row run(LagStores.Server server, Mode mode, double rate, Duration length, boolean documents) throws Exception {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        if (length.compareTo(settings.warmUp()) <= 0) {
            throw new IllegalArgumentException("the run (" + length + ") must be longer than the warm-up ("
                    + settings.warmUp() + ")");
        }
        String description = server.describe(mode)
                + (documents ? "; document projections: " + domains.describeProjections() : "");
        progress.accept(String.format(Locale.ROOT, "%s, %s: %,.0f commands/s for %d s", server.name(), description,
                rate, length.toSeconds()));
        Map<UUID, Sample> samples = new ConcurrentHashMap<>();
        Recorder recorder = new Recorder(samples);
        try (Session session = new Session(server, mode, recorder, documents)) {
            long gcBefore = gcMillis();
            Cpu.Reading cpuBefore = Cpu.read();
            long periodNanos = (long) (settings.threads() * 1e9 / rate);
            long start = System.nanoTime() + 10_000_000;
            long measureFrom = start + settings.warmUp().toNanos();
            long end = start + length.toNanos();
            recorder.measure(measureFrom, end);
            LongAdder failed = new LongAdder();
            LongAdder late = new LongAdder();
            session.drive((thread, mine) -> {
                long next = start + thread * periodNanos / settings.threads();
                int i = 0;
                while (next < end) {
                    long now;
                    while ((now = System.nanoTime()) < next) {
                        LockSupport.parkNanos(next - now);
                    }
                    if (now - next > LATE_NANOS) {
                        late.increment();
                    }
                    UUID id = UUID.randomUUID();
                    Sample sample = new Sample(next);
                    samples.put(id, sample);
                    try {
                        session.handler.handle(mine.get(i++ % mine.size()), id, new Deposit(1));
                        sample.ack = System.nanoTime();
                    } catch (RuntimeException e) {
                        sample.failed = true;
                        failed.increment();
                        progress.accept("a command failed: " + e);
                    }
                    next += periodNanos;
                }
            });
            long gc = gcMillis() - gcBefore;
            Cpu.Usage cpu = Cpu.read().since(cpuBefore);
            long missing = session.awaitSamples(samples, settings.drain().plus(mode.pollInterval.multipliedBy(3)));

            Histogram visible = new Histogram(3_600_000_000L, 3);
            Histogram stored = new Histogram(3_600_000_000L, 3);
            long measured = 0;
            long visibleBeforeAck = 0;
            long storedBeforeAck = 0;
            long missingMeasured = 0;
            for (Sample sample : samples.values()) {
                if (sample.failed || sample.ack == UNSET || sample.scheduled < measureFrom) {
                    continue;
                }
                if (sample.visible == UNSET || sample.stored == UNSET) {
                    missingMeasured++;
                    continue;
                }
                measured++;
                long toVisible = sample.visible - sample.ack;
                long toStored = sample.stored - sample.ack;
                if (toVisible < 0) {
                    visibleBeforeAck++;
                }
                if (toStored < 0) {
                    storedBeforeAck++;
                }
                visible.recordValue(Math.max(0, toVisible) / 1_000);
                stored.recordValue(Math.max(0, toStored) / 1_000);
            }
            double achieved = (measured + missingMeasured) / ((end - measureFrom) / 1e9);
            Projection<?, ?> projection = session.projection;
            int consumers = projection.ordering() == Ordering.GLOBAL_POSITION ? 1 : SHARDS;
            double busyWriting = recorder.writeNanos.sum() / (double) ((end - measureFrom) * consumers);
            Row row = new Row(server.name(), mode, description, rate, achieved, measured, visible, stored,
                    visibleBeforeAck, storedBeforeAck, missing, failed.sum(), late.sum(), session.handler.conflicts(),
                    projection.gapWaits(), projection.gapCommitsRead(), projection.dropped(), projection.duplicates(),
                    projection.applied(), projection.batches(), gc, cpu,
                    recorder.writes(), busyWriting);
            progress.accept(String.format(Locale.ROOT, "%s, %s: visible p50 %s / p99 %s ms, stored p50 %s / p99 %s ms,"
                            + " %d measured, %d missing", server.name(), description, ms(visible, 50), ms(visible, 99),
                    ms(stored, 50), ms(stored, 99), measured, missing));
            return row;
        }
    }

    /** The rows as Markdown: the lag table, then what the projector did meanwhile. */
    static String table(List<Capacity> capacities, List<Row> rows, String load, Settings settings,
                        Duration length, Domains domains) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Write→view lag in ms from the acknowledgement of a command (`handle` "
                        + "returned) to its view being visible to queries (in the cache) and stored (view store; "
                        + "PostgreSQL: with the checkpoint, one transaction); open loop %s, %d threads, deposits "
                        + "on %,d accounts, %d s per run of which the first %d s are warm-up; %d cores shared by "
                        + "load, projector and store; Java %s.%n%n",
                load, settings.threads(), settings.accounts(), length.toSeconds(),
                settings.warmUp().toSeconds(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        if (domains.others().isEmpty()) {
            out.append(String.format(Locale.ROOT, "Domains loaded: %s; no other aggregate is registered, so %s is the "
                    + "only view projector.%n%n", domains.describe(), PROJECTION));
        } else {
            out.append(String.format(Locale.ROOT, "Domains loaded: %s. Every aggregate's view projector runs on the "
                            + "same store, durable channel and fast channel, as in the service: %s; the load is on "
                            + "accounts only, the others follow every commit and skip it (they filter by category).%n%n",
                    domains.describe(), projectionNames(domains)));
        }
        for (Capacity capacity : capacities) {
            out.append(String.format(Locale.ROOT, "- %s capacity (closed loop, %d threads, merged projector on): "
                            + "%,.0f commands/s, command p50 %.2f ms, p99 %.2f ms, %,d conflicts%n", capacity.store(),
                    settings.threads(), capacity.perSecond(),
                    capacity.latencyMicros().getValueAtPercentile(50) / 1000.0,
                    capacity.latencyMicros().getValueAtPercentile(99) / 1000.0, capacity.conflicts()));
        }
        out.append('\n');
        out.append("| store | mode | target /s | achieved /s | commits | visible p50 | p99 | p99.9 | max "
                + "| stored p50 | p99 | p99.9 | max | before ack: visible / stored | missing |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,d | %s | %s | %s | %s | %s | %s | %s "
                            + "| %s | %,d / %,d | %d |%n", row.store(), row.description(), row.targetPerSecond(),
                    row.achievedPerSecond(), row.measured(), ms(row.visibleMicros(), 50), ms(row.visibleMicros(), 99),
                    ms(row.visibleMicros(), 99.9), max(row.visibleMicros()), ms(row.storedMicros(), 50),
                    ms(row.storedMicros(), 99), ms(row.storedMicros(), 99.9), max(row.storedMicros()),
                    row.visibleBeforeAck(), row.storedBeforeAck(), row.missing()));
        }
        out.append('\n');
        out.append("| store | mode | failed commands | late starts (>1 ms) | conflicts | gap waits | gap commits read "
                + "| fast dropped | duplicates | batches | commits / batch | batch write p50 | p99 | busy writing "
                + "| GC ms | cores busy: this JVM | others |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %.1f "
                            + "| %s | %s | %.0f%% | %,d | %s | %s |%n", row.store(), row.description(), row.failed(),
                    row.late(), row.conflicts(), row.gapWaits(), row.gapCommitsRead(), row.dropped(), row.duplicates(), row.batches(),
                    row.batches() == 0 ? 0.0 : (double) row.applied() / row.batches(),
                    ms(row.writeMicros(), 50), ms(row.writeMicros(), 99), row.busyWriting() * 100, row.gcMillis(),
                    row.cpu().jvm(), row.cpu().others()));
        }
        return out.toString();
    }

    /** The view projections a session runs, e.g. {@code accounts-view (driven), products-view}. */
    static String projectionNames(Domains domains) {
        List<String> names = new ArrayList<>();
        names.add(PROJECTION + " (driven)");
        for (AggregateType<?, ?, ?> type : domains.others()) {
            names.add(type.collection() + VIEW_PROJECTION_SUFFIX);
        }
        names.add(FEED_PROJECTION + " (every commit, for GET /feed)");
        return String.join(", ", names);
    }

    static String ms(Histogram micros, double percentile) {
        return format(micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0);
    }

    static String max(Histogram micros) {
        return format(micros.getTotalCount() == 0 ? Double.NaN : micros.getMaxValue() / 1000.0);
    }

    private static String format(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.3f", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.1f", millis);
        }
        return String.format(Locale.ROOT, "%,.0f", millis);
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** One measured command: when it was due, acknowledged, visible and stored ({@link System#nanoTime()}). */
    static final class Sample {
        final long scheduled;
        volatile long ack = UNSET;
        volatile long visible = UNSET;
        volatile long stored = UNSET;
        volatile boolean failed;

        Sample(long scheduled) {
            this.scheduled = scheduled;
        }

        boolean done() {
            return failed || ack == UNSET || (visible != UNSET && stored != UNSET);
        }
    }

    /**
     * Notes, on the projector's threads, when each sampled commit became visible and stored; and how long each batch
     * write of the measurement took: from the last of its commits becoming visible (the end of the batch, when the
     * write starts) to the store's acknowledgement.
     */
    private static final class Recorder implements ProjectionListener {
        private final Map<UUID, Sample> samples;
        private final Histogram writeMicros = new Histogram(3_600_000_000L, 3);
        final LongAdder writeNanos = new LongAdder();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile long measureTo = Long.MIN_VALUE;

        Recorder(Map<UUID, Sample> samples) {
            this.samples = samples;
        }

        void measure(long from, long to) {
            measureFrom = from;
            measureTo = to;
        }

        Histogram writes() {
            synchronized (writeMicros) {
                return writeMicros.copy();
            }
        }

        @Override
        public void visible(RecordedCommit commit, long nanoTime) {
            Sample sample = samples.get(commit.commitId());
            if (sample != null && sample.visible == UNSET) {
                sample.visible = nanoTime;
            }
        }

        @Override
        public void stored(List<RecordedCommit> commits, long nanoTime) {
            long lastVisible = UNSET;
            for (RecordedCommit commit : commits) {
                Sample sample = samples.get(commit.commitId());
                if (sample != null) {
                    if (sample.stored == UNSET) {
                        sample.stored = nanoTime;
                    }
                    lastVisible = Math.max(lastVisible, sample.visible);
                }
            }
            if (lastVisible != UNSET && lastVisible >= measureFrom && nanoTime <= measureTo) {
                long took = Math.max(0, nanoTime - lastVisible);
                writeNanos.add(took);
                synchronized (writeMicros) {
                    writeMicros.recordValue(took / 1_000);
                }
            }
        }
    }

    /**
     * The projector of {@code type}'s views on the run's stores, wired as the service wires every aggregate: a
     * {@link CachingViewStore} over the views named by its collection, stored with its state codec, and a
     * {@link Projection} {@code <collection>-view} on the same durable and fast channel as the accounts one.
     */
    static <C, E, S> DisruptorProjector projectorOf(AggregateType<C, E, S> type, LagStores.Run stores,
                                                            DurableChannel durable, FastChannel listened) {
        CachingViewStore<S> views = CachingViewStore.over(stores.viewStores().open(type.collection(), type.state()),
                VIEW_CACHE_SIZE);
        Projection<E, S> projection = Projection.builder(type.collection() + VIEW_PROJECTION_SUFFIX,
                        type.aggregate(), type.events(), stores.events(), views, stores.checkpoints())
                .globalLog(stores.log())
                .gapWait(GAP_WAIT)
                .build();
        return ring(projection, durable, listened);
    }

    /**
     * The projector of a document projection on the run's stores, wired as the service wires it
     * ({@code AggregateRuntimes.documents}): its documents, states and checkpoint in the run's document store, one
     * shard, on the same durable and fast channel as the view projectors.
     */
    static <D> Projection<Object, Tagged> documentProjection(DocumentProjection<D> registered,
                                                              DocumentStore<Tagged> documents, LagStores.Run stores) {
        return Projection.documents(registered.name(), DocumentWiring.follows(registered), stores.events(),
                        documents, registered.documents(), VIEW_CACHE_SIZE)
                .globalLog(stores.log())
                .gapWait(GAP_WAIT)
                .build();
    }

    /** A document projection's projector: the service's ring size, one shard. */
    static DisruptorProjector documentRing(Projection<?, ?> projection, DurableChannel durable,
                                           FastChannel listened) {
        return DisruptorProjector.builder(projection, durable, listened)
                .ringSize(RING_SIZE)
                .shards(1)
                .build();
    }

    private static <D> DisruptorProjector documentProjector(DocumentProjection<D> registered,
                                                            LagStores.Run stores, DurableChannel durable,
                                                            FastChannel listened) {
        DocumentStore<Tagged> documents = stores.documentStores().open(registered.name(),
                DocumentWiring.states(registered));
        return documentRing(documentProjection(registered, documents, stores), durable, listened);
    }

    /** A projector with the service's ring size and shards. */
    static DisruptorProjector ring(Projection<?, ?> projection, DurableChannel durable, FastChannel listened) {
        return DisruptorProjector.builder(projection, durable, listened)
                .ringSize(RING_SIZE)
                .shards(SHARDS)
                .build();
    }

    /**
     * The projection of every commit that the service runs for {@code GET /feed}, wired as the service wires it:
     * no store writes but its own checkpoint; per-stream order on DynamoDB kept in process memory.
     */
    static DisruptorProjector feedProjector(LagStores.Run stores, DurableChannel durable,
                                                    FastChannel listened) {
        CachingViewStore<RevisionOnly> revisions = RevisionOnly.inProcess(VIEW_CACHE_SIZE);
        Projection<Void, RevisionOnly> projection = Projection.allCommits(FEED_PROJECTION, stores.events(),
                        revisions, stores.checkpoints())
                .globalLog(stores.log())
                .gapWait(GAP_WAIT)
                .build();
        return ring(projection, durable, listened);
    }

    /** Stops every projector, even when one fails to; throws the first failure, the others suppressed. */
    static void stopAll(List<DisruptorProjector> projectors) {
        RuntimeException failure = null;
        for (DisruptorProjector projector : projectors) {
            try {
                projector.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What one load thread does with its own accounts. */
    @FunctionalInterface
    private interface Driver {
        void drive(int thread, List<String> accounts) throws Exception;
    }

    /**
     * The service's wiring on fresh stores, with the accounts opened and their views visible: the accounts, and
     * every other aggregate loaded, each with its own views and projector on the same channels.
     */
    private final class Session implements AutoCloseable {
        final LagStores.Run stores;
        Projection<AccountEvent, AccountState> projection;
        DisruptorProjector projector;
        /** The projectors of the other aggregates' views, in registration order. */
        final List<DisruptorProjector> others = new ArrayList<>();
        CommandHandler<AccountCommand, AccountEvent, AccountState> handler;
        final List<String> ids = new ArrayList<>();

        Session(LagStores.Server server, Mode mode, ProjectionListener listener, boolean documents)
                throws Exception {
            progress.accept(server.name() + ": domains " + domains.describe() + "; view projectors "
                    + projectionNames(domains));
            this.stores = server.open(mode);
            try {
                CachingViewStore<AccountState> views = CachingViewStore.over(stores.views(), VIEW_CACHE_SIZE);
                InProcessFastChannel fast = new InProcessFastChannel();
                FastChannel listened = mode.fast ? fast : FastChannel.none();
                projection = Projection.builder(PROJECTION, accounts, codec, stores.events(), views,
                                stores.checkpoints())
                        .globalLog(stores.log())
                        .gapWait(GAP_WAIT)
                        .build();
                if (listener != null) {
                    projection.addListener(listener);
                }
                // one read of the durable channel for every projector, as the service shares it
                SharedDurableChannel durable = new SharedDurableChannel(stores.durable(), RING_SIZE);
                projector = ring(projection, durable, listened);
                for (AggregateType<?, ?, ?> type : domains.others()) {
                    others.add(projectorOf(type, stores, durable, listened));
                }
                others.add(feedProjector(stores, durable, listened));
                if (documents) {
                    for (DocumentProjection<?> registered : domains.projections()) {
                        others.add(documentProjector(registered, stores, durable, listened));
                    }
                }
                handler = CommandHandler.builder(accounts, codec, stores.events())
                        .views(views)
                        .fastChannel(fast)
                        .build();
                projector.start();
                for (DisruptorProjector other : others) {
                    other.start();
                }
                durable.open();
                openAccounts();
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        private void openAccounts() throws Exception {
            for (int i = 0; i < settings.accounts(); i++) {
                ids.add("lag-" + i);
            }
            drive((thread, mine) -> {
                for (String id : mine) {
                    handler.handle(id, UUID.randomUUID(), new OpenAccount(ownerOf(id), "EUR", 0));
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (projection.applied() < settings.accounts()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + projection.applied() + " of " + settings.accounts()
                            + " opened accounts became visible within 60 s");
                }
                Thread.sleep(5);
            }
        }

        /**
         * Ten accounts per owner, so that the owners projection (when loaded) keeps documents of a realistic size
         * rather than one document listing every account.
         */
        private String ownerOf(String id) {
            int index = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            return "owner-" + index % Math.max(1, settings.accounts() / 10);
        }

        /** Runs {@code driver} on every load thread, each with the accounts {@code i % threads == thread}. */
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
                    int thread = t;
                    List<String> mine = new ArrayList<>();
                    for (int i = thread; i < ids.size(); i += threads) {
                        mine.add(ids.get(i));
                    }
                    running.add(pool.submit(() -> {
                        driver.drive(thread, mine);
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

        /**
         * Waits until every acknowledged sample is visible and stored, or {@code timeout}; returns how many are not.
         */
        long awaitSamples(Map<UUID, Sample> samples, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long pending = samples.values().stream().filter(sample -> !sample.done()).count();
                if (pending == 0 || System.nanoTime() > deadline) {
                    return pending;
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                try {
                    if (projector != null) {
                        projector.stop();
                    }
                } finally {
                    stopAll(others);
                }
            } finally {
                stores.close();
            }
        }
    }
}
