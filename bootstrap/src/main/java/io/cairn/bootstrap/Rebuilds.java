package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Service;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.projection.GenerationRecord;
import io.cairn.application.projection.Ordering;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.ProjectionRebuilds;
import io.cairn.disruptor.DisruptorProjector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds projections side by side, and switches once caught up.
 *
 * <p><b>Running a rebuild.</b> A rebuild of a projection is generation g + 1 of it ({@link GenerationRecord}): its
 * own stores under derived names, its own Disruptor ring, gate and checkpoint, and a durable subscription of its own
 * from the beginning (position 0 on PostgreSQL and in memory; on DynamoDB an empty checkpoint, so the channel scans
 * the table then follows Streams). It has no fast channel, listeners or followers while it builds: it feeds neither
 * the live feed, nor metrics, nor read-your-writes waits, and only document projections and aggregate views, whose
 * handlers only compute state, are rebuilt at all (the live feed is refused: its effects are deliveries). The live
 * generation keeps running and serving commands and queries meanwhile.
 *
 * <p><b>Caught up.</b> Looked at every {@value #TICK_MILLIS} ms. In global order (PostgreSQL, memory): the new
 * generation has applied and stored every position up to the log's head read at that moment, and holds nothing
 * unstored. In stream order (DynamoDB): the channel has said it reached the end (the scan done, a polling round in
 * which no shard had a record) and the ring has processed and stored everything delivered before that. A generation
 * that stopped at a commit it could not apply never switches; it shows as {@code stopped}.
 *
 * <p><b>The switch.</b> The generation record is saved with the new generation active (and the old one retiring),
 * then what queries read is swapped: the catalog entry ({@code /views}, {@code GET /projections}, read-your-writes
 * waits) and, for an aggregate, the views the command handler and the aggregate's GET read; each is one reference.
 * The new projector then follows the fast channel too, the old one is stopped, its documents, states or views and
 * checkpoint deleted {@link #ERASE_AFTER} later (requests that looked the old generation up just before the switch
 * still read it meanwhile), and the record saved without the retiring generation (a crash before that deletes it at
 * the next start).
 *
 * <p><b>Restarts.</b> A rebuild under way when the process stops resumes at the next start from its own checkpoint
 * (on DynamoDB the scan's position is in it). One whose version is no longer the registered one is abandoned and
 * deleted; a registered version above the active generation's starts one by itself. Thread-safe.
 */
final class Rebuilds implements ProjectionRebuilds, Service {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuilds.class);
    static final long TICK_MILLIS = 100;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration TOTAL_EVERY = Duration.ofSeconds(5);
    /** How long a switch waits, the live generation stopped, for the new one to store all the live one had. */
    static final Duration SWITCH_WAIT = Duration.ofSeconds(10);
    /** How long a retired generation is kept after the switch, for the requests that had looked it up before. */
    static final Duration ERASE_AFTER = Duration.ofSeconds(5);

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ProjectionCatalog catalog;
    private final CheckpointStore checkpoints;
    private final Generations generations;
    private final Optional<GlobalLog> log;
    private final FastChannel fast;
    private final Supplier<OptionalLong> storeCommits;
    private ScheduledExecutorService ticker;

    /**
     * @param fast         what a new generation follows once it serves queries
     * @param storeCommits how many commits the store holds, when it can tell (in stream order: the total shown)
     */
    Rebuilds(List<Rebuildable> rebuildables, ProjectionCatalog catalog, CheckpointStore checkpoints,
             Generations generations, Optional<GlobalLog> log, FastChannel fast, Supplier<OptionalLong> storeCommits) {
        for (Rebuildable rebuildable : rebuildables) {
            slots.put(rebuildable.name(), new Slot(rebuildable));
        }
        this.catalog = requireNonNull(catalog, "catalog must not be null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        this.generations = requireNonNull(generations, "generations must not be null");
        this.log = requireNonNull(log, "log must not be null");
        this.fast = requireNonNull(fast, "fast must not be null");
        this.storeCommits = requireNonNull(storeCommits, "storeCommits must not be null");
    }

    @Override
    public String name() {
        return "rebuilds";
    }

    /** Deletes what a crash left retiring, resumes the rebuilds under way, starts those a version bump asks for. */
    @Override
    public synchronized void start() {
        for (Slot slot : slots.values()) {
            String name = slot.rebuildable.name();
            GenerationRecord record = generations.get(name);
            if (record.retiring().isPresent()) {
                slot.rebuildable.build(record.retiring().getAsInt()).erase().run();
                record = save(name, record.retired());
            }
            int registered = slot.rebuildable.version();
            if (record.building().isPresent()) {
                GenerationRecord.Build build = record.building().get();
                if (build.version() == registered) {
                    LOG.info("projection {}: resuming the rebuild of generation {} (version {}) from its checkpoint",
                            name, build.generation(), build.version());
                    begin(slot, build);
                    continue;
                }
                LOG.info("projection {}: abandoning the rebuild of generation {} at version {}, now registered at "
                        + "version {}", name, build.generation(), build.version(), registered);
                slot.rebuildable.build(build.generation()).erase().run();
                record = save(name, record.withoutBuilding());
            }
            if (registered > record.activeVersion()) {
                LOG.info("projection {} is registered at version {}, above version {} of its active generation {}:"
                        + " rebuilding it as generation {}", name, registered, record.activeVersion(),
                        record.active(), record.nextGeneration());
                startNew(slot);
            }
        }
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cairn-rebuilds");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the rebuilds under way (each saves its checkpoint, to resume at the next start) and the projectors of
     * generations switched to since start; the first ones are {@link Projectors}'.
     */
    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = ticker;
            ticker = null;
        }
        if (running != null) {
            running.shutdown();
            try {
                running.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (Slot slot : slots.values()) {
                if (slot.build != null) {
                    slot.build.generation.projector().stop();
                }
                if (slot.live != slot.rebuildable.first()) {
                    slot.live.projector().stop();
                }
            }
        }
    }

    /**
     * Restarts the projector of {@code projection} when it is a generation switched to since start (which these
     * rebuilds run, and which follows the fast channel after its switch): stopped, {@code beforeStart} run, started
     * again from its checkpoint, following the fast channel again.
     *
     * @return empty when {@code projection} is not such a generation (it is one of {@link Projectors}'); else
     *         whether it was restarted (false once these rebuilds are stopped)
     */
    synchronized Optional<Boolean> restartLive(Projection<?, ?> projection, Runnable beforeStart) {
        requireNonNull(projection, "projection must not be null");
        requireNonNull(beforeStart, "beforeStart must not be null");
        for (Slot slot : slots.values()) {
            if (slot.live != slot.rebuildable.first() && slot.live.projector().projection() == projection) {
                if (ticker == null) {
                    return Optional.of(false);
                }
                DisruptorProjector projector = slot.live.projector();
                projector.stop();
                beforeStart.run();
                projector.start();
                projector.followFast(fast);
                return Optional.of(true);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Requested rebuild(String projection) {
        requireNonNull(projection, "projection must not be null");
        Optional<ProjectionCatalog.Entry> entry = catalog.entry(projection);
        if (entry.isEmpty()) {
            return new UnknownProjection(projection);
        }
        Slot slot = slots.get(projection);
        if (slot == null || entry.get().kind() == ProjectionCatalog.Kind.LIVE_FEED) {
            return new NotRebuildable(projection, "the live feed keeps no state to rebuild, and its effects are "
                    + "deliveries to clients, which are never made twice");
        }
        if (slot.build != null) {
            return new InProgress(projection, slot.build.record.generation());
        }
        GenerationRecord.Build build = startNew(slot);
        LOG.info("projection {}: rebuilding it as generation {} (version {}), on request", projection,
                build.generation(), build.version());
        return new Started(projection, build.generation(), build.version());
    }

    @Override
    public synchronized Optional<Status> status(String projection) {
        Slot slot = slots.get(requireNonNull(projection, "projection must not be null"));
        if (slot == null) {
            return Optional.empty();
        }
        GenerationRecord record = generations.get(projection);
        return Optional.of(new Status(record.active(), slot.rebuildable.version(),
                Optional.ofNullable(slot.build).map(this::progress)));
    }

    private GenerationRecord.Build startNew(Slot slot) {
        String name = slot.rebuildable.name();
        GenerationRecord record = generations.get(name);
        GenerationRecord.Build build = new GenerationRecord.Build(record.nextGeneration(), slot.rebuildable.version(),
                Instant.now());
        save(name, record.withBuilding(build));
        begin(slot, build);
        return build;
    }

    private void begin(Slot slot, GenerationRecord.Build build) {
        Rebuildable.Generation generation = slot.rebuildable.build(build.generation());
        Running running = new Running(generation, build);
        if (generation.projector().projection().ordering() == Ordering.GLOBAL_POSITION) {
            try {
                // the total from the first look on, not only after the ticker's first tick
                running.head = log.orElseThrow().headPosition();
            } catch (RuntimeException e) {
                LOG.warn("rebuilds: the log's head could not be read; the total shows from the next look", e);
            }
        }
        generation.projector().start();
        slot.build = running;
    }

    private GenerationRecord save(String name, GenerationRecord record) {
        record.save(checkpoints, name);
        generations.put(name, record);
        return record;
    }

    /** One look at every rebuild: its progress, and the switch of one that has caught up. */
    private void tick() {
        List<Runnable> erasures = new ArrayList<>();
        try {
            synchronized (this) {
                long now = System.nanoTime();
                for (Slot slot : slots.values()) {
                    Running running = slot.build;
                    if (running == null) {
                        continue;
                    }
                    if (running.generation.projector().projection().ordering() == Ordering.GLOBAL_POSITION) {
                        running.head = log.orElseThrow().headPosition(); // read before what it is compared with
                    }
                    running.sample(now, done(running));
                    if (caughtUp(slot)) {
                        erasures.add(switchOver(slot));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("rebuilds: looking at the rebuilds under way failed; trying again", e);
        }
        for (Runnable erasure : erasures) {
            // not at once: a request that looked the old generation up just before the switch still reads it
            ScheduledExecutorService later = ticker;
            Runnable erase = () -> {
                try {
                    erasure.run();
                } catch (RuntimeException e) {
                    LOG.warn("rebuilds: deleting a retired generation failed; it is deleted at the next start", e);
                }
            };
            if (later != null) {
                later.schedule(erase, ERASE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                erase.run();
            }
        }
    }

    private boolean caughtUp(Slot slot) {
        Running running = slot.build;
        DisruptorProjector projector = running.generation.projector();
        Projection<?, ?> projection = projector.projection();
        if (projection.failure() != null || projection.commitsBehind() > 0) {
            return false;
        }
        if (projection.ordering() == Ordering.GLOBAL_POSITION) {
            return projection.appliedPosition() >= running.head;
        }
        // stream order: what the live generation took from the fast channel before Streams delivered it is waited
        // for at the switch, once the live one has stopped (see switchOver): a look here could miss it forever
        // under steady writes, each generation a few milliseconds apart
        return projector.durableEndProcessed();
    }

    /** Switches {@code slot} to its new generation; returns what deletes the old one and notes it deleted. */
    private Runnable switchOver(Slot slot) {
        String name = slot.rebuildable.name();
        Running running = slot.build;
        Rebuildable.Generation old = slot.live;
        Rebuildable.Generation next = running.generation;
        // the live generation stops first: what a reader saw of it is then all it will ever show, and the new one
        // (following the fast channel and the durable one) switches once it has stored all of that too, so that no
        // read after the switch goes back a commit
        next.projector().followFast(fast);
        old.projector().stop();
        awaitCovered(name, next.projector().projection(), old.projector().projection());
        GenerationRecord switched = save(name, generations.get(name).switched());
        catalog.replace(name, next.projector().projection());
        slot.rebuildable.activate(next);
        slot.live = next;
        slot.build = null;
        LOG.info("projection {}: switched to generation {} (version {}) after {} commits in {} s; deleting "
                + "generation {}", name, next.number(), switched.activeVersion(), done(running),
                Duration.between(running.record.startedAt(), Instant.now()).toSeconds(), old.number());
        return () -> {
            old.erase().run();
            synchronized (this) {
                GenerationRecord now = generations.get(name);
                if (now.retiring().isPresent() && now.retiring().getAsInt() == old.number()) {
                    save(name, now.retired());
                }
            }
        };
    }

    /**
     * Waits, for at most {@link #SWITCH_WAIT}, until {@code next} has stored everything {@code stopped} had: in global
     * order every position it had applied, in stream order every stream's state at least as far. After the wait it
     * switches anyway (logged), as it would have without it: the new generation is caught up with the store.
     */
    private static void awaitCovered(String name, Projection<?, ?> next, Projection<?, ?> stopped) {
        long deadline = System.nanoTime() + SWITCH_WAIT.toNanos();
        while (!covers(next, stopped)) {
            if (next.failure() != null || System.nanoTime() > deadline) {
                LOG.warn("projection {}: the new generation had not stored all the live one had within {}; "
                        + "switching anyway", name, SWITCH_WAIT);
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean covers(Projection<?, ?> next, Projection<?, ?> stopped) {
        return next.ordering() == Ordering.GLOBAL_POSITION
                ? next.appliedPosition() >= stopped.appliedPosition()
                : next.storedAtLeast(stopped);
    }

    private long done(Running running) {
        DisruptorProjector projector = running.generation.projector();
        return projector.projection().ordering() == Ordering.GLOBAL_POSITION
                ? projector.projection().appliedPosition()
                : projector.durableDelivered();
    }

    private Progress progress(Running running) {
        Projection<?, ?> projection = running.generation.projector().projection();
        ProjectionFailure failure = projection.failure();
        long done = done(running);
        OptionalLong total = projection.ordering() == Ordering.GLOBAL_POSITION
                ? (running.head >= 0 ? OptionalLong.of(running.head) : OptionalLong.empty())
                : running.total(storeCommits);
        if (total.isPresent() && total.getAsLong() < done) {
            total = OptionalLong.of(done); // an approximate count behind, or commits appended since it was read
        }
        double rate = running.rate();
        OptionalDouble eta = total.isPresent() && rate > 0
                ? OptionalDouble.of((total.getAsLong() - done) / rate) : OptionalDouble.empty();
        return new Progress(running.record.generation(), running.record.version(), failure != null, done, total,
                rate, eta, running.record.startedAt(), Optional.ofNullable(failure));
    }

    /** One projection: the generation queries read, and the rebuild under way. Guarded by the service's lock. */
    private static final class Slot {
        final Rebuildable rebuildable;
        Rebuildable.Generation live;
        Running build;

        Slot(Rebuildable rebuildable) {
            this.rebuildable = rebuildable;
            this.live = rebuildable.first();
        }
    }

    /** A rebuild under way: its generation, its record, and samples of its progress for the rate. */
    private static final class Running {
        final Rebuildable.Generation generation;
        final GenerationRecord.Build record;
        final Deque<long[]> samples = new ArrayDeque<>();
        volatile long head = -1;
        long totalReadAt;
        OptionalLong total = OptionalLong.empty();

        Running(Rebuildable.Generation generation, GenerationRecord.Build record) {
            this.generation = generation;
            this.record = record;
        }

        void sample(long nanoTime, long done) {
            samples.addLast(new long[] {nanoTime, done});
            while (samples.size() > 2 && nanoTime - samples.peekFirst()[0] > RATE_WINDOW.toNanos()) {
                samples.removeFirst();
            }
        }

        double rate() {
            if (samples.size() < 2) {
                return 0;
            }
            long[] first = samples.peekFirst();
            long[] last = samples.peekLast();
            double seconds = (last[0] - first[0]) / 1e9;
            return seconds <= 0 ? 0 : Math.max(0, last[1] - first[1]) / seconds;
        }

        OptionalLong total(Supplier<OptionalLong> storeCommits) {
            long now = System.nanoTime();
            if (totalReadAt == 0 || now - totalReadAt > TOTAL_EVERY.toNanos()) {
                totalReadAt = now;
                try {
                    total = storeCommits.get();
                } catch (RuntimeException e) {
                    LOG.debug("rebuilds: the store's commit count could not be read", e);
                }
            }
            return total;
        }
    }
}
