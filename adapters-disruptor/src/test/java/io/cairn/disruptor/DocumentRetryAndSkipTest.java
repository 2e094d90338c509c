package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.projection.DocumentFollow;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.SkippedCommit;
import io.cairn.application.projection.Tagged;
import io.cairn.domain.Commit;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.DocumentHandler;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stopped document projection operated on, in global order and in stream order (the memory store without its
 * global log): retried, it tries the commit it stopped at again with the current code, each commit once; told to
 * skip, it saves the skip first and then treats exactly that commit as applied with no document change, whatever
 * happens to the process in between; the stream's state goes on, folded when the aggregate can fold the commit.
 * The restart is what the service's retry does: the projector stopped, the projection resumed, a new ring started.
 */
class DocumentRetryAndSkipTest {

    /** The deposits a document has seen, in order. */
    record Deposits(List<Long> amounts) {
    }

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> json = JacksonEventCodec.forSealed(AccountEvent.class);
    /** Whether the handler's bug is fixed: it fails on a deposit of 13 until then. */
    private final AtomicBoolean fixed = new AtomicBoolean();
    /** Whether the events' codec cannot read a deposit of 13 either: the aggregate fails too, not only the handler. */
    private final AtomicBoolean unreadable = new AtomicBoolean();

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDocumentStore<Tagged> documents = new InMemoryDocumentStore<>("deposits", checkpoints);
    private final StreamId stream = accounts.streamOf("a1");
    private final List<DisruptorProjector> running = new ArrayList<>();

    private final EventCodec<AccountEvent> codec = new EventCodec<>() {
        @Override
        public EventData encode(AccountEvent event) {
            return json.encode(event);
        }

        @Override
        public AccountEvent decode(EventData event) {
            AccountEvent decoded = json.decode(event);
            if (unreadable.get() && decoded instanceof AccountEvent.Deposited deposited && deposited.amount() == 13) {
                throw new IllegalStateException("cannot read a deposit of 13");
            }
            return decoded;
        }

        @Override
        public Set<String> types() {
            return json.types();
        }
    };

    private final DocumentHandler<AccountEvent, AccountState, Deposits> handler = event -> {
        if (!(event.event() instanceof AccountEvent.Deposited deposited)) {
            return List.of();
        }
        if (deposited.amount() == 13 && !fixed.get()) {
            throw new IllegalStateException("13 is unlucky");
        }
        return List.of(DocumentChange.update(event.aggregateId(), current -> {
            List<Long> amounts = new ArrayList<>(current.map(Deposits::amounts).orElse(List.of()));
            amounts.add(deposited.amount());
            return Optional.of(new Deposits(amounts));
        }));
    };

    @AfterEach
    void stopAll() {
        running.forEach(DisruptorProjector::stop);
    }

    @ParameterizedTest(name = "global order: {0}")
    @ValueSource(booleans = {true, false})
    void retried_after_the_fix_it_applies_the_commit_it_stopped_at_and_the_rest_once(boolean globalOrder)
            throws Exception {
        Run run = start(globalOrder);
        depositFiveThirteenSeven();
        ProjectionFailure failure = awaitStop(run.projection);
        assertThat(failure.revision()).isEqualTo(3);

        run.retry(); // not fixed: it stops again at the same commit, visibly, with nothing more stored
        awaitStop(run.projection);
        assertThat(run.projection.failure().revision()).isEqualTo(3);
        assertThat(deposits()).containsExactly(5L);

        fixed.set(true);
        run.retry();
        await("the projection applied up to revision 4", () -> stateRevision() == 4);
        assertThat(run.projection.failure()).isNull();
        assertThat(deposits()).containsExactly(5L, 13L, 7L);
        append(new AccountEvent.Deposited(1));
        await("the next commit applied", () -> stateRevision() == 5);
        assertThat(deposits()).containsExactly(5L, 13L, 7L, 1L);
        assertThat(run.projection.commitsBehind()).as("nothing left behind once caught up").isZero();
    }

    @ParameterizedTest(name = "global order: {0}")
    @ValueSource(booleans = {true, false})
    void a_skipped_commit_changes_no_document_and_its_stream_state_is_still_folded(boolean globalOrder)
            throws Exception {
        Run run = start(globalOrder);
        depositFiveThirteenSeven();
        ProjectionFailure failure = awaitStop(run.projection);

        SkippedCommit skipped = run.projection.skip(Instant.parse("2026-12-01T12:00:00Z"));
        run.restart();
        await("the projection applied up to revision 4", () -> stateRevision() == 4);

        assertThat(skipped.stream()).isEqualTo(stream);
        assertThat(skipped.revision()).isEqualTo(3);
        assertThat(skipped.position()).isEqualTo(failure.position());
        assertThat(skipped.at()).isEqualTo(failure.at());
        assertThat(skipped.skippedAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(skipped.error()).contains("13 is unlucky");
        assertThat(deposits()).as("no document change for the skipped commit").containsExactly(5L, 7L);
        assertThat(balance()).as("the aggregate folded it: the handler failed, not the aggregate").isEqualTo(25);
        assertThat(run.projection.failure()).isNull();
        assertThat(run.projection.skipped()).containsExactly(skipped);
    }

    @ParameterizedTest(name = "global order: {0}")
    @ValueSource(booleans = {true, false})
    void a_skipped_commit_the_aggregate_cannot_fold_keeps_the_state_before_it_at_its_revision(boolean globalOrder)
            throws Exception {
        unreadable.set(true);
        Run run = start(globalOrder);
        depositFiveThirteenSeven();
        assertThat(awaitStop(run.projection).error()).contains("cannot read a deposit of 13");

        run.projection.skip(Instant.now());
        run.restart();
        await("the projection applied up to revision 4", () -> stateRevision() == 4);

        assertThat(deposits()).containsExactly(5L, 7L);
        assertThat(balance()).isEqualTo(12);
    }

    @ParameterizedTest(name = "global order: {0}")
    @ValueSource(booleans = {true, false})
    void a_skip_saved_before_a_crash_is_kept_by_the_next_process_and_skips_that_commit_only(boolean globalOrder)
            throws Exception {
        Run first = start(globalOrder);
        depositFiveThirteenSeven();
        awaitStop(first.projection);
        SkippedCommit skipped = first.projection.skip(Instant.now());
        first.projector.stop(); // the process dies after saving the skip, before its projector restarted

        Run second = start(globalOrder); // a new process on the same stores
        await("the projection applied up to revision 4", () -> stateRevision() == 4);
        assertThat(second.projection.skipped()).as("the skip list is persisted").containsExactly(skipped);
        assertThat(deposits()).containsExactly(5L, 7L);
        assertThat(second.projection.failure()).isNull();
        second.projector.stop();

        Run third = start(globalOrder); // and again, once it was applied: nothing applied twice
        append(new AccountEvent.Deposited(13)); // another commit the handler fails on: not skipped
        ProjectionFailure next = awaitStop(third.projection);
        assertThat(next.revision()).isEqualTo(5);
        assertThat(deposits()).containsExactly(5L, 7L);
        assertThat(third.projection.skipped()).containsExactly(skipped);
    }

    @ParameterizedTest(name = "global order: {0}")
    @ValueSource(booleans = {true, false})
    void only_a_stopped_projection_skips(boolean globalOrder) {
        Run run = start(globalOrder);
        assertThatThrownBy(() -> run.projection.skip(Instant.now())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not stopped");
        assertThat(run.projection.skipped()).isEmpty();
    }

    /** A process's projection and projector over the shared stores. */
    private final class Run {
        final Projection<Object, Tagged> projection;
        final DisruptorProjector projector;

        Run(Projection<Object, Tagged> projection, DisruptorProjector projector) {
            this.projection = projection;
            this.projector = projector;
        }

        /** What the service's retry does. */
        void retry() {
            restart();
        }

        void restart() {
            projector.stop();
            projection.resume();
            projector.start();
        }
    }

    private Run start(boolean globalOrder) {
        Projection<Object, Tagged> projection = Projection.documents("deposits",
                        List.of(new DocumentFollow<>(accounts, codec, handler)), store, documents,
                        new JacksonStateCodec<>(Deposits.class, 1), 1_000)
                .globalLog(globalOrder ? Optional.of(store) : Optional.empty())
                .failurePolicy(2, Duration.ofMillis(10))
                .checkpointInterval(Duration.ZERO)
                .build();
        DisruptorProjector projector = DisruptorProjector.builder(projection,
                new InMemoryDurableChannel(store, 20), new InProcessFastChannel()).build();
        projector.start();
        running.add(projector);
        return new Run(projection, projector);
    }

    private void depositFiveThirteenSeven() {
        append(new AccountEvent.AccountOpened("Ada", "EUR", 0));
        append(new AccountEvent.Deposited(5));
        append(new AccountEvent.Deposited(13));
        append(new AccountEvent.Deposited(7));
    }

    private List<Long> deposits() {
        return documents.document("a1").map(doc -> {
            List<Long> amounts = new ArrayList<>();
            for (String part : doc.json().replaceAll("[^0-9,]", "").split(",")) {
                if (!part.isEmpty()) {
                    amounts.add(Long.parseLong(part));
                }
            }
            return amounts;
        }).orElse(List.of());
    }

    private long stateRevision() {
        return documents.get(stream).map(view -> view.revision()).orElse(0L);
    }

    private long balance() {
        return ((AccountState) documents.get(stream).orElseThrow().state().state()).balance();
    }

    private ProjectionFailure awaitStop(Projection<?, ?> projection) throws InterruptedException {
        await("the projection stopped", () -> projection.failure() != null);
        Thread.sleep(200); // whatever it would wrongly store after the stop, give it time to
        return projection.failure();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private void append(AccountEvent event) {
        store.append(stream, ExpectedRevision.ANY, Commit.of(UUID.randomUUID(), json.encode(event)));
    }
}
