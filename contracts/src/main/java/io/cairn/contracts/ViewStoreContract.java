package io.cairn.contracts;

import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ViewStore} does: keeps one view per stream, written by compare-and-set on its revision, so
 * that racing projectors cannot lose an update and a view never goes backwards.
 *
 * <p>To use it, extend it and implement {@link #newStore()} to return an empty store of {@link TestState}, fresh for
 * each test; a store that keeps states outside the heap encodes them with {@link TestState#CODEC}.
 */
public abstract class ViewStoreContract {

    private static final int RACERS = 8;

    protected ViewStore<TestState> store;

    /** An empty store; called once before each test. */
    protected abstract ViewStore<TestState> newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    @Test
    void a_first_view_put_replacing_zero_gets_back() {
        StreamId stream = aNewStream();
        Snapshot<TestState> view = aSnapshotOf(stream).at(1).withState("données ✓ \"quoted\"", 7).build();

        assertThat(store.put(view, 0)).isTrue();

        assertThat(store.get(stream)).contains(view);
    }

    @Test
    void a_stream_without_a_view_gets_empty() {
        StreamId other = aNewStream();
        StreamId absent = aNewStream();
        Snapshot<TestState> view = aSnapshotOf(other).at(1).build();
        store.put(view, 0);

        assertThat(store.get(other)).contains(view);
        assertThat(store.get(absent)).isEmpty();
    }

    @Test
    void a_view_replacing_the_stored_revision_is_written() {
        StreamId stream = aNewStream();
        store.put(aSnapshotOf(stream).at(2).build(), 0);
        Snapshot<TestState> next = aSnapshotOf(stream).at(5).build();

        assertThat(store.put(next, 2)).isTrue();

        assertThat(store.get(stream)).contains(next);
    }

    @Test
    void a_view_replacing_a_stale_revision_is_not_written() {
        StreamId stream = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stream).at(3).build();
        store.put(stored, 0);

        assertThat(store.put(aSnapshotOf(stream).at(5).build(), 2)).as("replacing 2, stored 3").isFalse();
        assertThat(store.put(aSnapshotOf(stream).at(4).build(), 0)).as("replacing none, stored 3").isFalse();

        assertThat(store.get(stream)).contains(stored);
    }

    @Test
    void a_view_replacing_a_revision_that_was_never_written_is_not_written() {
        StreamId stream = aNewStream();
        StreamId other = aNewStream();
        Snapshot<TestState> view = aSnapshotOf(other).at(1).build();
        store.put(view, 0);

        assertThat(store.put(aSnapshotOf(stream).at(3).build(), 1)).isFalse();

        assertThat(store.get(stream)).isEmpty();
        assertThat(store.get(other)).contains(view);
    }

    @Test
    void a_view_never_replaces_its_own_or_a_later_revision() {
        StreamId stream = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(stream).at(3).build();
        store.put(stored, 0);

        assertThatThrownBy(() -> store.put(aSnapshotOf(stream).at(3).build(), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(aSnapshotOf(stream).at(2).build(), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(aSnapshotOf(stream).at(4).build(), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get(stream)).contains(stored);
    }

    @RepeatedTest(5)
    void of_writers_racing_to_replace_the_same_revision_exactly_one_wins() {
        StreamId stream = aNewStream();
        store.put(aSnapshotOf(stream).at(1).build(), 0);
        List<Snapshot<TestState>> views = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            views.add(aSnapshotOf(stream).at(2).withState("writer-" + i, i).build());
        }

        List<Race.Outcome<Boolean>> outcomes = Race.run(RACERS, i -> () -> store.put(views.get(i), 1));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("error of a put").isNull());
        List<Race.Outcome<Boolean>> winners = outcomes.stream().filter(Race.Outcome::value).toList();
        assertThat(winners).as("puts that were written").hasSize(1);
        assertThat(store.get(stream)).contains(views.get(winners.get(0).racer()));
    }

    @Test
    void a_view_remembering_a_full_window_of_commit_ids_round_trips() {
        StreamId stream = aNewStream();
        Snapshot<TestState> view = aSnapshotOf(stream).at(1_000).rememberingAFullWindow().build();

        assertThat(store.put(view, 0)).isTrue();

        assertThat(store.get(stream)).contains(view);
        assertThat(view.recentCommitIds()).hasSize(Snapshot.IDEMPOTENCY_WINDOW);
    }

    @Test
    void views_of_different_streams_are_independent() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        Snapshot<TestState> inA = aSnapshotOf(a).at(4).build();
        Snapshot<TestState> inB = aSnapshotOf(b).at(1).build();

        assertThat(store.put(inA, 0)).isTrue();
        assertThat(store.put(inB, 0)).as("a first view of another stream").isTrue();

        assertThat(store.get(a)).contains(inA);
        assertThat(store.get(b)).contains(inB);
    }

    @Test
    void put_each_writes_every_view_whose_stored_revision_holds_and_says_which_it_wrote() {
        StreamId fresh = aNewStream();
        StreamId moving = aNewStream();
        StreamId stale = aNewStream();
        assertThat(store.put(aSnapshotOf(moving).at(2).build(), 0)).isTrue();
        Snapshot<TestState> stored = aSnapshotOf(stale).at(3).build();
        assertThat(store.put(stored, 0)).isTrue();
        List<ViewWrite<TestState>> writes = new ArrayList<>();
        writes.add(new ViewWrite<>(aSnapshotOf(fresh).at(1).build(), 0));
        writes.add(new ViewWrite<>(aSnapshotOf(moving).at(4).withState("moved", 4).build(), 2));
        writes.add(new ViewWrite<>(aSnapshotOf(stale).at(5).build(), 2));
        for (int i = 0; i < 20; i++) {
            writes.add(new ViewWrite<>(aSnapshotOf(aNewStream()).at(1 + i).withState("many-" + i, i).build(), 0));
        }

        List<Boolean> written = store.putEach(writes);

        List<Boolean> expected = new ArrayList<>(Collections.nCopies(writes.size(), true));
        expected.set(2, false);
        assertThat(written).as("the write replacing 2 where 3 is stored loses; the others do not").isEqualTo(expected);
        for (int i = 0; i < writes.size(); i++) {
            Snapshot<TestState> view = writes.get(i).view();
            assertThat(store.get(view.stream())).as("view of write %d", i).contains(i == 2 ? stored : view);
        }
    }

    @Test
    void put_each_of_nothing_writes_nothing_and_two_writes_for_one_stream_are_refused_before_any_is_written() {
        StreamId first = aNewStream();
        StreamId twice = aNewStream();
        Snapshot<TestState> stored = aSnapshotOf(first).at(1).build();
        assertThat(store.putEach(List.of(new ViewWrite<>(stored, 0)))).containsExactly(true);

        assertThat(store.putEach(List.of())).isEmpty();
        assertThatThrownBy(() -> store.putEach(List.of(
                new ViewWrite<>(aSnapshotOf(first).at(2).build(), 1),
                new ViewWrite<>(aSnapshotOf(twice).at(1).build(), 0),
                new ViewWrite<>(aSnapshotOf(twice).at(2).build(), 1))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.get(first)).contains(stored);
        assertThat(store.get(twice)).isEmpty();
    }

    @RepeatedTest(3)
    void of_put_eachs_racing_on_the_same_views_exactly_one_write_per_stream_wins() {
        int racers = 3;
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StreamId stream = aNewStream();
            streams.add(stream);
            assertThat(store.put(aSnapshotOf(stream).at(1).build(), 0)).isTrue();
        }
        List<List<ViewWrite<TestState>>> batches = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
            List<ViewWrite<TestState>> batch = new ArrayList<>();
            for (StreamId stream : streams) {
                batch.add(new ViewWrite<>(aSnapshotOf(stream).at(2).withState("writer-" + r, r).build(), 1));
            }
            Collections.shuffle(batch);
            batches.add(batch);
        }

        List<Race.Outcome<List<Boolean>>> outcomes = Race.run(racers, r -> () -> store.putEach(batches.get(r)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).as("error of a putEach").isNull());
        for (StreamId stream : streams) {
            List<Snapshot<TestState>> won = new ArrayList<>();
            for (Race.Outcome<List<Boolean>> outcome : outcomes) {
                List<ViewWrite<TestState>> batch = batches.get(outcome.racer());
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.get(i).view().stream().equals(stream) && outcome.value().get(i)) {
                        won.add(batch.get(i).view());
                    }
                }
            }
            assertThat(won).as("writes of %s that were written", stream).hasSize(1);
            assertThat(store.get(stream)).contains(won.get(0));
        }
    }

    @Test
    void delete_all_removes_every_view_of_the_store_and_none_of_another_store() {
        ViewStore<TestState> other = newStore();
        List<StreamId> streams = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            StreamId stream = aNewStream();
            streams.add(stream);
            assertThat(store.put(aSnapshotOf(stream).at(1).build(), 0)).isTrue();
        }
        Snapshot<TestState> kept = aSnapshotOf(streams.get(0)).at(2).build();
        assertThat(other.put(kept, 0)).isTrue();

        store.deleteAll();

        for (StreamId stream : streams) {
            assertThat(store.get(stream)).as("view of %s", stream).isEmpty();
        }
        assertThat(other.get(streams.get(0))).as("another store's view of the same stream").contains(kept);
        Snapshot<TestState> again = aSnapshotOf(streams.get(1)).at(1).build();
        assertThat(store.put(again, 0)).as("a first view again").isTrue();
        assertThat(store.get(streams.get(1))).contains(again);
    }
}
