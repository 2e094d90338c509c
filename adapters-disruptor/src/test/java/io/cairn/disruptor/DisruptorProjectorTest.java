package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.RetryPolicy;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.Subscription;
import io.cairn.application.projection.Projection;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.json.JacksonEventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The merge on every store, with real servers: the durable channel (in-memory log, PostgreSQL polling,
 * DynamoDB Streams) and the fast channel publish into the ring, and the gate makes one ordered, exactly-once
 * stream of commits out of them however the channels misbehave.
 */
class DisruptorProjectorTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Every release any projector of a test made: stream → revisions, in release order. */
    private final Map<StreamId, List<Long>> releases = new ConcurrentHashMap<>();

    private ProjectorStores stores;
    private CachingViewStore<AccountState> views;
    private final InProcessFastChannel fast = new InProcessFastChannel();
    private HeldDurable durable;
    private InMemoryStoresWithGatedViews gatedViews;

    @AfterEach
    void closeAll() throws Exception {
        if (durable != null) {
            durable.release();
        }
        if (gatedViews != null) {
            gatedViews.writes.release();
        }
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void with_30_percent_of_fast_messages_dropped_views_converge_and_every_commit_is_applied_once(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        DroppingFastChannel lossy = new DroppingFastChannel(fast, 0.3);
        DisruptorProjector projector = start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(lossy);

        List<String> ids = openAccounts(commands, 4);
        long total = ids.size() + concurrently(commands, ids, 4, 25);

        awaitStored(ids);
        assertThat(lossy.dropped()).as("fast messages dropped").isGreaterThan(10);
        assertThat(projector.projection().applied()).as("applied").isEqualTo(total);
        assertReleasedOnceInOrder(total);
        for (String id : ids) {
            long revision = revision(id);
            assertThat(storedView(id).state().balance()).isEqualTo(revision - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void with_the_durable_channel_delayed_the_fast_channel_still_delivers_and_the_late_copies_are_dropped(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        durable.hold();
        DisruptorProjector projector = start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(fast);

        List<String> ids = openAccounts(commands, 3);
        long total = ids.size() + concurrently(commands, ids, 2, 10);

        awaitStored(ids);
        assertThat(durable.delivered()).as("durable deliveries while held").isZero();
        assertThat(projector.projection().applied()).isEqualTo(total);

        durable.release();
        await("the durable channel's copies all dropped", () -> projector.projection().duplicates() >= total);
        assertThat(projector.projection().applied()).isEqualTo(total);
        assertReleasedOnceInOrder(total);
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void every_commit_sent_by_both_channels_is_applied_once(ProjectorStores.Kind kind) throws Exception {
        open(kind);
        DisruptorProjector projector = start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(fast);

        List<String> ids = openAccounts(commands, 3);
        long total = ids.size() + concurrently(commands, ids, 3, 15);

        awaitStored(ids);
        await("both channels delivered everything", () -> durable.delivered() >= total);
        await("every second copy dropped", () -> projector.projection().duplicates() >= total);
        assertThat(projector.projection().applied()).isEqualTo(total);
        assertReleasedOnceInOrder(total);
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void a_projector_stopped_and_restarted_mid_stream_resumes_from_its_checkpoint_with_nothing_lost_or_doubled(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        DisruptorProjector first = start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(fast);
        List<String> ids = openAccounts(commands, 3);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        CountDownLatch halfway = new CountDownLatch(1);
        Future<Long> written = writer.submit(() -> {
            long n = 0;
            for (int i = 0; i < 60; i++) {
                commands.handle(ids.get(i % ids.size()), UUID.randomUUID(), new Deposit(1));
                n++;
                if (i == 20) {
                    halfway.countDown();
                }
                Thread.sleep(2);
            }
            return n;
        });
        assertThat(halfway.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        first.stop(); // mid-stream: commands go on while no projector runs
        long appliedBefore = first.projection().applied();
        Optional<Checkpoint> saved = stores.checkpoints().load("accounts-view");
        assertThat(saved).as("checkpoint saved when the ring drained").isPresent();

        views = CachingViewStore.over(stores.views(), 10_000); // a new process: a cold cache
        DisruptorProjector second = start(Duration.ofMillis(5));
        long total = ids.size() + written.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        writer.shutdown();

        awaitStored(ids);
        assertThat(appliedBefore).isPositive();
        assertThat(appliedBefore + second.projection().applied()).as("applied over both runs").isEqualTo(total);
        assertReleasedOnceInOrder(total);
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void commits_arriving_out_of_order_per_stream_are_applied_in_revision_order(ProjectorStores.Kind kind)
            throws Exception {
        open(kind);
        durable.hold();
        RecordingFastChannel recorded = new RecordingFastChannel();
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(recorded);
        String id = openAccounts(commands, 1).get(0);
        for (int i = 0; i < 5; i++) {
            commands.handle(id, UUID.randomUUID(), new Deposit(i + 1));
        }
        DisruptorProjector projector = start(Duration.ofSeconds(30)); // a long gap wait: no store reads

        List<RecordedCommit> reversed = new ArrayList<>(recorded.commits);
        Collections.reverse(reversed);
        reversed.forEach(fast::publish);

        awaitStored(List.of(id));
        Snapshot<AccountState> view = storedView(id);
        assertThat(view.state().balance()).isEqualTo(15);
        assertThat(view.recentCommitIds()).containsExactlyElementsOf(
                recorded.commits.stream().map(RecordedCommit::commitId).toList());
        assertThat(releases.get(accounts.streamOf(id))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(projector.projection().gapWaits()).isPositive();
        assertThat(projector.projection().gapCommitsRead()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void a_command_finds_the_previous_commands_effect_in_the_cache_and_reads_nothing_from_the_store(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(fast);
        String id = openAccounts(commands, 1).get(0);

        for (int i = 1; i <= 10; i++) {
            long revision = i;
            await("revision " + revision + " visible", () -> views.get(accounts.streamOf(id))
                    .map(v -> v.revision() == revision).orElse(false));
            commands.handle(id, UUID.randomUUID(), new Deposit(1));
        }

        assertThat(commands.conflicts()).as("appends on a stale view").isZero();
        assertThat(commands.commitsCaughtUp()).as("commits read to catch up").isZero();
    }

    @org.junit.jupiter.api.Test
    void a_view_write_that_hangs_does_not_hold_up_what_becomes_visible() throws Exception {
        InMemoryStoresWithGatedViews gated = new InMemoryStoresWithGatedViews();
        gatedViews = gated;
        stores = gated.stores;
        toClose.add(stores);
        views = CachingViewStore.over(stores.views(), 10_000);
        durable = new HeldDurable(stores.durable());
        DisruptorProjector projector = start(Duration.ofMillis(5));
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands(fast);
        gated.writes.hold();

        String id = openAccounts(commands, 1).get(0);
        for (int i = 0; i < 5; i++) {
            commands.handle(id, UUID.randomUUID(), new Deposit(1));
        }

        await("all six commits visible while the first write hangs", () -> views.get(accounts.streamOf(id))
                .map(v -> v.revision() == 6).orElse(false));
        assertThat(stores.views().get(accounts.streamOf(id))).as("stored meanwhile").isEmpty();
        gated.writes.release();
        awaitStored(List.of(id));
        assertThat(projector.projection().batches()).as("the writes waiting behind the hung one coalesced")
                .isLessThanOrEqualTo(3);
    }

    // ---- fixtures ----

    private void open(ProjectorStores.Kind kind) {
        stores = kind.open();
        toClose.add(stores);
        views = CachingViewStore.over(stores.views(), 10_000);
        durable = new HeldDurable(stores.durable());
    }

    private DisruptorProjector start(Duration gapWait) {
        Projection<AccountEvent, AccountState> projection = Projection
                .builder("accounts-view", accounts, codec, stores.events(), views, stores.checkpoints())
                .globalLog(stores.log())
                .gapWait(gapWait)
                .retryBackoff(Duration.ofMillis(20))
                .build();
        projection.follow((commit, checkpoint) -> {
            if (projection.projects(commit)) {
                releases.computeIfAbsent(commit.stream(), s -> new CopyOnWriteArrayList<>()).add(commit.revision());
            }
        });
        DisruptorProjector projector = DisruptorProjector.builder(projection, durable, fast)
                .ringSize(1_024).shards(2).build();
        projector.start();
        toClose.add(projector::stop);
        return projector;
    }

    private CommandHandler<AccountCommand, AccountEvent, AccountState> commands(FastChannel channel) {
        return CommandHandler.builder(accounts, codec, stores.events()).views(views).fastChannel(channel)
                .retryPolicy(new RetryPolicy(1_000, Duration.ofMillis(1), Duration.ofMillis(5))).build();
    }

    private List<String> openAccounts(CommandHandler<AccountCommand, AccountEvent, AccountState> commands, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            commands.handle(id, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
            ids.add(id);
        }
        return ids;
    }

    /** {@code threads} × {@code each} deposits spread over the accounts; returns how many were made. */
    private static long concurrently(CommandHandler<AccountCommand, AccountEvent, AccountState> commands,
                                     List<String> ids, int threads, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        commands.handle(ids.get((seed + i) % ids.size()), UUID.randomUUID(), new Deposit(1));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        return (long) threads * each;
    }

    private long revision(String id) {
        return stores.events().revision(accounts.streamOf(id));
    }

    private Snapshot<AccountState> storedView(String id) {
        return stores.views().get(accounts.streamOf(id)).orElseThrow();
    }

    /** Waits until every account's stored view (not just the cache) is at its stream's revision. */
    private void awaitStored(List<String> ids) {
        for (String id : ids) {
            long revision = revision(id);
            await("stored view of " + id + " at " + revision, () -> stores.views().get(accounts.streamOf(id))
                    .map(v -> v.revision() == revision).orElse(false));
        }
    }

    /** Each commit was released exactly once over all projectors of the test, in revision order per stream. */
    private void assertReleasedOnceInOrder(long total) {
        long released = 0;
        for (Map.Entry<StreamId, List<Long>> entry : releases.entrySet()) {
            List<Long> revisions = entry.getValue();
            for (int i = 0; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).as("release %d of %s", i, entry.getKey()).isEqualTo(i + 1L);
            }
            released += revisions.size();
        }
        assertThat(released).as("commits released").isEqualTo(total);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** The store's durable channel, whose deliveries can be held back (a slow poller, Streams lagging). */
    private static final class HeldDurable implements DurableChannel {
        private final DurableChannel delegate;
        private final Gate gate = new Gate();
        private final AtomicLong delivered = new AtomicLong();

        HeldDurable(DurableChannel delegate) {
            this.delegate = delegate;
        }

        void hold() {
            gate.hold();
        }

        void release() {
            gate.release();
        }

        long delivered() {
            return delivered.get();
        }

        @Override
        public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
            return delegate.subscribe(after, (commit, checkpoint) -> {
                gate.pass();
                listener.onCommit(commit, checkpoint);
                delivered.incrementAndGet();
            });
        }
    }

    /** The in-memory stores, with view writes that can be made to hang. */
    private static final class InMemoryStoresWithGatedViews {
        final Gate writes = new Gate();
        final ProjectorStores stores;

        InMemoryStoresWithGatedViews() {
            ProjectorStores memory = ProjectorStores.memory();
            io.cairn.application.port.ViewStore<AccountState> inner = memory.views();
            io.cairn.application.port.ViewStore<AccountState> gatedViews = new io.cairn.application.port.ViewStore<>() {
                @Override
                public Optional<Snapshot<AccountState>> get(StreamId stream) {
                    return inner.get(stream);
                }

                @Override
                public boolean put(Snapshot<AccountState> view, long replacing) {
                    writes.pass();
                    return inner.put(view, replacing);
                }

                @Override
                public void deleteAll() {
                    inner.deleteAll();
                }
            };
            stores = new ProjectorStores("memory, gated views", memory.events(), memory.log(), gatedViews,
                    memory.revisions(), memory.checkpoints(), memory.durable(), memory.closer());
        }
    }

    /** A gate a thread waits at while it is held. */
    private static final class Gate {
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void hold() {
            latch = new CountDownLatch(1);
        }

        void release() {
            latch.countDown();
        }

        void pass() {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Loses a share of what is published to it, at random, as a full ring or a crash would. */
    private static final class DroppingFastChannel implements FastChannel {
        private final FastChannel delegate;
        private final double share;
        private final AtomicLong dropped = new AtomicLong();

        DroppingFastChannel(FastChannel delegate, double share) {
            this.delegate = delegate;
            this.share = share;
        }

        @Override
        public void publish(RecordedCommit commit) {
            if (ThreadLocalRandom.current().nextDouble() < share) {
                dropped.incrementAndGet();
                return;
            }
            delegate.publish(commit);
        }

        @Override
        public Subscription listen(Consumer<RecordedCommit> listener) {
            return delegate.listen(listener);
        }

        long dropped() {
            return dropped.get();
        }
    }

    /** Keeps what is published, for a test to send on in an order of its choosing. */
    private static final class RecordingFastChannel implements FastChannel {
        final List<RecordedCommit> commits = new CopyOnWriteArrayList<>();

        @Override
        public void publish(RecordedCommit commit) {
            commits.add(commit);
        }

        @Override
        public Subscription listen(Consumer<RecordedCommit> listener) {
            return () -> { };
        }
    }
}
