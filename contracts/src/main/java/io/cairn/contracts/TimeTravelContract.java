package io.cairn.contracts;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.AggregateQueries;
import io.cairn.application.PastState;
import io.cairn.application.PastState.Base;
import io.cairn.application.PastState.Found;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Commit;
import io.cairn.domain.Decision;
import io.cairn.domain.EventCodec;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Time travel ({@link AggregateQueries#atRevision}, {@link AggregateQueries#atInstant}) on a real backend: its event
 * store's bounded reads, its stored snapshots and its views together, compared with a full replay of the stream at
 * random revisions and instants, with snapshots and views below and ahead of the target.
 *
 * <p>To use it, extend it and return a backend's three stores from {@link #newStores()}, made as the service makes
 * them (on DynamoDB the snapshot lives in the events table, at sort key 0).
 */
public abstract class TimeTravelContract {

    /** One backend's stores of {@link TestState}s. */
    protected record Stores(EventStore events, SnapshotStore<TestState> snapshots, ViewStore<TestState> views) {
        public Stores {
            requireNonNull(events, "events must not be null");
            requireNonNull(snapshots, "snapshots must not be null");
            requireNonNull(views, "views must not be null");
        }
    }

    private static final Counter COUNTER = new Counter();
    private static final EventCodec<CounterEvent> CODEC = JacksonEventCodec.forSealed(CounterEvent.class);

    private Stores stores;
    private AggregateQueries<CounterEvent, TestState> queries;

    /** The stores, empty or holding only streams of other tests; called once before each test. */
    protected abstract Stores newStores();

    @BeforeEach
    final void createStores() {
        stores = newStores();
        queries = new AggregateQueries<>(COUNTER, CODEC, stores.events(), stores.views(), stores.snapshots());
    }

    @Test
    void a_past_revision_is_what_a_full_replay_gives_with_the_snapshot_and_the_view_below_or_ahead_of_it() {
        Random random = new Random(42);
        for (int round = 0; round < 6; round++) {
            String id = aStreamOf(12 + random.nextInt(20));
            List<RecordedCommit> commits = commitsOf(id);
            int current = commits.size();
            long snapshotAt = 1 + random.nextInt(current);
            long viewAt = 1 + random.nextInt(current);
            stores.snapshots().save(replay(id, commits, snapshotAt));
            stores.views().put(replay(id, commits, viewAt), 0);
            for (int probe = 0; probe < 6; probe++) {
                long revision = 1 + random.nextInt(current);

                Found<TestState> found = found(queries.atRevision(id, revision));

                String what = "revision " + revision + " of " + current + ", snapshot at " + snapshotAt + ", view at "
                        + viewAt;
                assertThat(found.snapshot()).as(what).isEqualTo(replay(id, commits, revision));
                long best = Math.max(snapshotAt <= revision ? snapshotAt : 0, viewAt <= revision ? viewAt : 0);
                assertThat(found.baseRevision()).as("the base of " + what).isEqualTo(best);
                assertThat(found.base()).as(what).isEqualTo(best == 0 ? Base.INITIAL
                        : best == viewAt ? Base.VIEW : Base.SNAPSHOT);
                assertThat(found.commitsRead()).as("commits read for " + what + ": N - r").isEqualTo(revision - best);
            }
        }
    }

    @Test
    void a_past_instant_is_what_a_full_replay_gives_with_the_snapshot_and_the_view_below_or_ahead_of_it() {
        Random random = new Random(43);
        for (int round = 0; round < 6; round++) {
            String id = aStreamOf(12 + random.nextInt(20));
            List<RecordedCommit> commits = commitsOf(id);
            int current = commits.size();
            stores.snapshots().save(replay(id, commits, 1 + random.nextInt(current)));
            stores.views().put(replay(id, commits, 1 + random.nextInt(current)), 0);
            for (int probe = 0; probe < 6; probe++) {
                Instant recorded = commits.get(random.nextInt(current)).recordedAt();
                Instant instant = switch (random.nextInt(3)) {
                    case 0 -> recorded;
                    case 1 -> recorded.minusNanos(1_000);
                    default -> recorded.plusNanos(random.nextInt(2_000_000));
                };
                long expected = commits.stream().filter(c -> !c.recordedAt().isAfter(instant)).count();

                PastState<TestState> answer = queries.atInstant(id, instant);

                if (expected == 0) {
                    assertThat(answer).as("at %s, before the first commit", instant)
                            .isEqualTo(new PastState.BeforeStream<>(instant, commits.get(0).recordedAt()));
                } else {
                    assertThat(found(answer).snapshot()).as("at %s", instant).isEqualTo(replay(id, commits, expected));
                }
            }
        }
    }

    @Test
    void a_revision_beyond_the_stream_names_the_current_revision_and_an_absent_stream_has_no_state() {
        String id = aStreamOf(5);
        stores.snapshots().save(replay(id, commitsOf(id), 3));

        assertThat(queries.atRevision(id, 6)).isEqualTo(new PastState.BeyondStream<>(6, 5));
        assertThat(found(queries.atRevision(id, 5)).commitsRead()).isEqualTo(2);
        assertThat(queries.atRevision(UUID.randomUUID().toString(), 1)).isEqualTo(new PastState.NoStream<>());
        assertThat(queries.atInstant(UUID.randomUUID().toString(), Instant.now()))
                .isEqualTo(new PastState.NoStream<>());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A stream of {@code n} commits of one or two events each; returns its id. */
    private String aStreamOf(int n) {
        String id = UUID.randomUUID().toString();
        StreamId stream = COUNTER.streamOf(id);
        for (int i = 1; i <= n; i++) {
            List<CounterEvent> events = i % 3 == 0 ? List.of(new CounterEvent.Added(i), new CounterEvent.Added(-1))
                    : List.of(new CounterEvent.Added(i));
            stores.events().append(stream, ExpectedRevision.exactly(i - 1),
                    Commit.of(UUID.randomUUID(), events.stream().map(CODEC::encode).toList()));
        }
        return id;
    }

    private List<RecordedCommit> commitsOf(String id) {
        List<RecordedCommit> commits = new ArrayList<>();
        long from = 1;
        while (true) {
            var slice = stores.events().read(COUNTER.streamOf(id), from, EventStore.MAX_SLICE);
            commits.addAll(slice.commits());
            if (slice.endOfStream() || slice.commits().isEmpty()) {
                assertThat(commits).as("the commits of %s", id).isNotEmpty();
                return commits;
            }
            from = slice.nextRevision();
        }
    }

    /** The reference: the stream's first {@code revision} commits folded from the initial state. */
    private static Snapshot<TestState> replay(String id, List<RecordedCommit> commits, long revision) {
        Snapshot<TestState> state = Snapshot.initial(COUNTER.streamOf(id), COUNTER.initialState());
        for (RecordedCommit commit : commits.subList(0, (int) revision)) {
            TestState next = state.state();
            for (var event : commit.events()) {
                next = COUNTER.evolve(next, CODEC.decode(event));
            }
            state = state.next(next, commit.commitId());
        }
        return state;
    }

    private static Found<TestState> found(PastState<TestState> answer) {
        assertThat(answer).isInstanceOf(Found.class);
        return (Found<TestState>) answer;
    }

    /** The events of {@link Counter}. */
    sealed interface CounterEvent {
        /** Adds {@code amount}, in an order-sensitive way: a fold in the wrong order gives another state. */
        record Added(long amount) implements CounterEvent {
        }
    }

    /** An aggregate of {@link TestState}s that only folds: {@code counter = counter * 31 + amount}. */
    private static final class Counter implements Aggregate<Object, CounterEvent, TestState> {
        @Override
        public String category() {
            return "counter";
        }

        @Override
        public TestState initialState() {
            return new TestState("counter", 0);
        }

        @Override
        public Decision<CounterEvent> decide(Object command, TestState state) {
            throw new UnsupportedOperationException("the counter only replays");
        }

        @Override
        public TestState evolve(TestState state, CounterEvent event) {
            CounterEvent.Added added = (CounterEvent.Added) event;
            return new TestState(state.name(), state.counter() * 31 + added.amount());
        }
    }
}
