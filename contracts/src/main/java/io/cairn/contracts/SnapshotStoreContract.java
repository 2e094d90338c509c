package io.cairn.contracts;

import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SnapshotStore} does: keeps the newest snapshot per stream, round trips it whole (state,
 * revision, recent commit ids) and never goes backwards, even under concurrent savers.
 *
 * <p>To use it, extend it and implement {@link #newStore()} to return an empty store of {@link TestState}, fresh for
 * each test; a store that keeps states outside the heap encodes them with {@link TestState#CODEC}.
 */
public abstract class SnapshotStoreContract {

    private static final int RACERS = 8;

    protected SnapshotStore<TestState> store;

    /** An empty store; called once before each test. */
    protected abstract SnapshotStore<TestState> newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    @Test
    void a_saved_snapshot_loads_back_with_its_state_revision_and_recent_commit_ids() {
        StreamId stream = aNewStream();
        Snapshot<TestState> snapshot = aSnapshotOf(stream).at(3).withState("données ✓ \"quoted\"", -42).build();

        assertThat(store.save(snapshot)).isTrue();

        assertThat(store.load(stream)).contains(snapshot);
    }

    @Test
    void a_stream_without_a_snapshot_loads_empty() {
        StreamId other = aNewStream();
        StreamId absent = aNewStream();
        Snapshot<TestState> snapshot = aSnapshotOf(other).at(2).build();
        store.save(snapshot);

        assertThat(store.load(other)).contains(snapshot);
        assertThat(store.load(absent)).isEmpty();
    }

    @Test
    void a_newer_snapshot_replaces_the_stored_one() {
        StreamId stream = aNewStream();
        store.save(aSnapshotOf(stream).at(2).build());
        Snapshot<TestState> newer = aSnapshotOf(stream).at(5).build();

        assertThat(store.save(newer)).isTrue();

        assertThat(store.load(stream)).contains(newer);
    }

    @Test
    void an_older_snapshot_is_refused_and_the_stored_one_stays() {
        StreamId stream = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stream).at(5).build();
        store.save(stored);

        assertThat(store.save(aSnapshotOf(stream).at(3).build())).isFalse();

        assertThat(store.load(stream)).contains(stored);
    }

    @Test
    void a_snapshot_at_the_stored_revision_is_refused_and_the_stored_one_stays() {
        StreamId stream = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stream).at(5).withState("first", 1).build();
        store.save(stored);

        assertThat(store.save(aSnapshotOf(stream).at(5).withState("second", 2).build())).isFalse();

        assertThat(store.load(stream)).contains(stored);
    }

    @RepeatedTest(3)
    void of_concurrent_savers_of_different_revisions_the_highest_wins() {
        StreamId stream = aNewStream();
        List<Snapshot<TestState>> snapshots = new ArrayList<>();
        for (int revision = 1; revision <= RACERS; revision++) {
            snapshots.add(aSnapshotOf(stream).at(revision).build());
        }
        Collections.shuffle(snapshots, new Random());

        List<Race.Outcome<Boolean>> outcomes = Race.run(RACERS, i -> () -> store.save(snapshots.get(i)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("error of a save").isNull());
        Snapshot<TestState> highest = snapshots.stream().filter(s -> s.revision() == RACERS).findFirst().orElseThrow();
        assertThat(outcomes.get(snapshots.indexOf(highest)).value()).as("the highest snapshot was stored").isTrue();
        assertThat(store.load(stream)).contains(highest);
    }

    @Test
    void a_snapshot_at_revision_zero_is_refused() {
        StreamId stream = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stream).at(1).build();
        store.save(stored);

        assertThatThrownBy(() -> store.save(Snapshot.initial(stream, new TestState("initial", 0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.load(stream)).contains(stored);
    }

    @Test
    void snapshots_of_different_streams_are_independent() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        Snapshot<TestState> inA = aSnapshotOf(a).at(7).build();
        Snapshot<TestState> inB = aSnapshotOf(b).at(2).build();

        assertThat(store.save(inA)).isTrue();
        assertThat(store.save(inB)).as("a lower revision on another stream").isTrue();

        assertThat(store.load(a)).contains(inA);
        assertThat(store.load(b)).contains(inB);
    }

    @Test
    void a_snapshot_remembering_a_full_window_of_commit_ids_round_trips() {
        StreamId stream = aNewStream();
        Snapshot<TestState> snapshot = aSnapshotOf(stream).at(1_000).rememberingAFullWindow().build();

        assertThat(store.save(snapshot)).isTrue();

        assertThat(store.load(stream)).contains(snapshot);
        assertThat(snapshot.recentCommitIds()).hasSize(Snapshot.IDEMPOTENCY_WINDOW);
    }
}
