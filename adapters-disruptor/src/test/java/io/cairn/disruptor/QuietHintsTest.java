package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Subscription;
import io.cairn.application.projection.Projection;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * In global order a projector sees every commit, but only some change what it shows: the hints of the others go into
 * its ring without waking its consumers ({@link DisruptorProjector#quietHints()}), and are still applied, in order,
 * with the next hint that matters or a few milliseconds later. On the two stores with a global order, real servers;
 * the durable channel is silenced, so what is applied came as a hint.
 */
class QuietHintsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OTHER = "shipment";

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    private final InProcessFastChannel fast = new InProcessFastChannel();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ProjectorStores stores;

    enum GlobalKind { MEMORY, POSTGRES }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(GlobalKind.class)
    void hints_of_commits_the_projection_keeps_no_view_of_wake_nobody_and_are_applied_all_the_same(GlobalKind kind)
            throws Exception {
        DisruptorProjector projector = start(kind);
        Projection<?, ?> projection = projector.projection();
        CommandHandler<AccountCommand, AccountEvent, AccountState> commands = commands();

        String account = UUID.randomUUID().toString();
        commands.handle(account, UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));
        long others = 0;
        for (int i = 0; i < 20; i++) {
            appendOther(); // another category's commit, hinted like the handler hints its own
            others++;
        }
        await("the other category's commits applied", () -> projection.appliedPosition() == 1 + 20);
        assertThat(projector.quietHints()).as("hints put in quietly").isEqualTo(others);

        commands.handle(account, UUID.randomUUID(), new Deposit(5));
        await("the deposit applied", () -> projection.appliedPosition() == 22);
        assertThat(durableListener.get().hasThrough()).as("what the durable channel need not bring").isEqualTo(22);
        assertThat(projector.quietHints()).as("a commit of its own category is hinted aloud").isEqualTo(others);
        assertThat(views.get(accounts.streamOf(account)).orElseThrow().state().balance()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(GlobalKind.class)
    void with_a_follower_every_hint_wakes_the_projector(GlobalKind kind) throws Exception {
        DisruptorProjector projector = start(kind);
        Projection<?, ?> projection = projector.projection();
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription following = projection.follow((commit, checkpoint) -> seen.add(commit.position().orElseThrow()));
        try {
            for (int i = 0; i < 5; i++) {
                appendOther();
            }
            await("the follower saw all five", () -> seen.size() == 5);
        } finally {
            following.close();
        }
        assertThat(projector.quietHints()).as("released to a follower: nothing is quiet").isZero();
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @ParameterizedTest
    @EnumSource(GlobalKind.class)
    void a_reader_waiting_for_a_quiet_position_has_it_taken_at_once(GlobalKind kind) throws Exception {
        // idle wait 1 s: a quiet hint would otherwise wait for the consumers' next timeout, a second or more away
        DisruptorProjector projector = start(kind, Duration.ofSeconds(1));
        Projection<?, ?> projection = projector.projection();
        Thread.sleep(50); // the consumers are blocked

        RecordedCommit other = appendOther();
        long position = other.position().orElseThrow();
        assertThat(projection.releasedThrough()).as("released: the gate sleeps").isLessThan(position);
        assertThat(durableListener.get().hasThrough()).as("in the ring, so the durable channel need not bring it")
                .isEqualTo(position);
        Projection.Awaited awaited = projection.awaitApplied(other.stream(), other.revision(),
                OptionalLong.of(position), Duration.ofSeconds(20));

        assertThat(projector.quietHints()).isEqualTo(1);
        // without the wake the consumers sleep 64 × 1 s, and the reader's 20 s run out first
        assertThat(awaited).isEqualTo(Projection.Awaited.APPLIED);
    }

    @ParameterizedTest
    @EnumSource(GlobalKind.class)
    void hints_that_come_out_of_order_count_once_the_one_before_them_comes(GlobalKind kind) throws Exception {
        // idle wait 1 s: the gate sleeps through the quiet hints, so only what is in the ring counts
        DisruptorProjector projector = start(kind, Duration.ofSeconds(1));
        Projection<?, ?> projection = projector.projection();
        Thread.sleep(50); // the consumers are blocked
        List<RecordedCommit> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(appendUnhinted()); // one batch of appends, whose threads hint in any order
        }

        fast.publish(batch.get(2));
        fast.publish(batch.get(1));
        assertThat(durableListener.get().hasThrough()).as("the first of the batch not hinted yet").isZero();
        fast.publish(batch.get(0));

        assertThat(projection.releasedThrough()).as("released: the gate sleeps").isZero();
        assertThat(durableListener.get().hasThrough()).as("all three in the ring").isEqualTo(3);
        assertThat(projector.quietHints()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(GlobalKind.class)
    void a_projector_given_no_hints_says_it_has_nothing_by_other_means(GlobalKind kind) throws Exception {
        stores = kind == GlobalKind.MEMORY ? ProjectorStores.memory() : ProjectorStores.postgres();
        toClose.add(stores);
        views = CachingViewStore.over(stores.views(), 1_000);
        Projection<AccountEvent, AccountState> projection = Projection
                .builder("accounts-view", accounts, codec, stores.events(), views, stores.checkpoints())
                .globalLog(stores.log()).build();
        DurableChannel recording = (after, listener) -> {
            durableListener.set(listener);
            return stores.durable().subscribe(after, listener);
        };
        DisruptorProjector projector = DisruptorProjector.builder(projection, recording, FastChannel.none()).build();
        projector.start();
        toClose.add(projector::stop);

        for (int i = 0; i < 3; i++) {
            appendOther();
        }
        await("the durable channel's commits applied", () -> projection.appliedPosition() == 3);

        // a rebuild's generation before it takes the fast channel: all it has, the durable channel brought
        assertThat(durableListener.get().hasThrough()).isZero();
    }

    // ---- fixtures ----

    private CachingViewStore<AccountState> views;
    /** A durable channel that brings nothing (whatever is applied here came as a fast hint); keeps its listener. */
    private final AtomicReference<DurableChannel.Listener> durableListener = new AtomicReference<>();
    private final DurableChannel silent = (after, listener) -> {
        durableListener.set(listener);
        return () -> { };
    };

    private DisruptorProjector start(GlobalKind kind) {
        return start(kind, null);
    }

    private DisruptorProjector start(GlobalKind kind, Duration idleWait) {
        stores = kind == GlobalKind.MEMORY ? ProjectorStores.memory() : ProjectorStores.postgres();
        toClose.add(stores);
        views = CachingViewStore.over(stores.views(), 1_000);
        Projection<AccountEvent, AccountState> projection = Projection
                .builder("accounts-view", accounts, codec, stores.events(), views, stores.checkpoints())
                .globalLog(stores.log())
                .gapWait(Duration.ofMillis(5))
                .build();
        DisruptorProjector.Builder builder = DisruptorProjector.builder(projection, silent, fast)
                .ringSize(1_024);
        if (idleWait != null) {
            builder.idleWait(idleWait);
        }
        DisruptorProjector projector = builder.build();
        projector.start();
        toClose.add(projector::stop);
        return projector;
    }

    private CommandHandler<AccountCommand, AccountEvent, AccountState> commands() {
        return CommandHandler.builder(accounts, codec, stores.events()).views(views).fastChannel(fast).build();
    }

    /** A commit of a category the projection does not follow, appended and hinted on the fast channel. */
    private RecordedCommit appendOther() {
        RecordedCommit commit = appendUnhinted();
        fast.publish(commit);
        return commit;
    }

    /** A commit of a category the projection does not follow, appended and not hinted. */
    private RecordedCommit appendUnhinted() {
        return stores.events().append(StreamId.of(OTHER, UUID.randomUUID().toString()),
                ExpectedRevision.NO_STREAM, Commit.of(UUID.randomUUID(), new EventData("Shipped", "{}"))).commit();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }
}
