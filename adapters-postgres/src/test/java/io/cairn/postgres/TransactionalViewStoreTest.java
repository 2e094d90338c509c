package io.cairn.postgres;

import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.contracts.TestState;
import io.cairn.domain.StreamId;
import io.cairn.postgres.testing.PostgresStoresExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Views and a projection's checkpoint written in one transaction: all of it or nothing. */
class TransactionalViewStoreTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private TransactionalViewStore<TestState> views;
    private String projection;

    @BeforeEach
    void newViewAndProjection() {
        views = stores().viewStore("accounts-" + UUID.randomUUID(), TestState.CODEC);
        projection = "projection-" + UUID.randomUUID();
    }

    @Test
    void views_and_the_checkpoint_are_written_together() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        Snapshot<TestState> storedA = aSnapshotOf(a).at(1).build();
        views.put(storedA, 0);
        Snapshot<TestState> nextA = aSnapshotOf(a).at(2).build();
        Snapshot<TestState> firstB = aSnapshotOf(b).at(1).build();

        boolean written = views.putAll(List.of(new ViewWrite<>(nextA, 1), new ViewWrite<>(firstB, 0)),
                projection, Checkpoint.atPosition(7));

        assertThat(written).isTrue();
        assertThat(views.get(a)).contains(nextA);
        assertThat(views.get(b)).contains(firstB);
        assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(7));
        assertThat(stores().checkpointStore().load(projection)).contains(Checkpoint.atPosition(7));
    }

    @Test
    void one_stale_view_writes_nothing_not_even_the_checkpoint() {
        StreamId fresh = aNewStream();
        StreamId stale = aNewStream();
        Snapshot<TestState> storedStale = aSnapshotOf(stale).at(3).build();
        views.put(storedStale, 0);
        views.checkpoints().save(projection, Checkpoint.atPosition(5));

        boolean written = views.putAll(List.of(
                        new ViewWrite<>(aSnapshotOf(fresh).at(1).build(), 0),
                        new ViewWrite<>(aSnapshotOf(stale).at(4).build(), 2)),
                projection, Checkpoint.atPosition(9));

        assertThat(written).isFalse();
        assertThat(views.get(fresh)).as("the view that could have been written").isEmpty();
        assertThat(views.get(stale)).contains(storedStale);
        assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(5));
    }

    @Test
    void many_replacements_in_one_batch_are_written_or_with_one_stale_among_them_none_is() {
        List<StreamId> streams = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StreamId stream = aNewStream();
            views.put(aSnapshotOf(stream).at(1).build(), 0);
            streams.add(stream);
        }
        StreamId first = aNewStream();
        List<ViewWrite<TestState>> all = new java.util.ArrayList<>();
        all.add(new ViewWrite<>(aSnapshotOf(first).at(1).build(), 0)); // a first view between the replacements
        for (StreamId stream : streams) {
            all.add(new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 1));
        }
        assertThat(views.putAll(all, projection, Checkpoint.atPosition(3))).isTrue();
        for (ViewWrite<TestState> write : all) {
            // each with its own state and commit ids, which the function passes one after the other in one array
            assertThat(views.get(write.view().stream())).contains(write.view());
        }

        List<ViewWrite<TestState>> oneStale = new java.util.ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            long replacing = i == 2 ? 1 : 2; // the third is stored at 2, not at 1
            oneStale.add(new ViewWrite<>(aSnapshotOf(streams.get(i)).at(3).build(), replacing));
        }
        assertThat(views.putAll(oneStale, projection, Checkpoint.atPosition(4))).isFalse();
        for (StreamId stream : streams) {
            assertThat(views.get(stream).orElseThrow().revision()).as("written: none").isEqualTo(2);
        }
        assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(3));
    }

    /**
     * A batch of 70 replacements and 5 first views: set-based in write_derived, three UPDATEs of up to 32 rows. Each
     * view is compared whole (state, revision, commit ids, which go in one array for all); then one stale row among
     * the many, in the first, middle or last chunk, or a first view of a stream already there, writes nothing.
     */
    @Test
    void a_large_batch_is_written_whole_and_one_stale_row_among_many_writes_nothing() {
        List<StreamId> streams = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            StreamId stream = aNewStream();
            views.put(aSnapshotOf(stream).at(1).build(), 0);
            streams.add(stream);
        }
        List<ViewWrite<TestState>> all = new java.util.ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            if (i % 15 == 7) {
                all.add(new ViewWrite<>(aSnapshotOf(aNewStream()).at(1).build(), 0));
            }
            all.add(new ViewWrite<>(aSnapshotOf(streams.get(i)).withState("s" + i, i).at(2)
                    .rememberingCommits(i % 3 == 0 ? List.of() : List.of(UUID.randomUUID(), UUID.randomUUID()))
                    .build(), 1));
        }
        assertThat(views.putAll(all, projection, Checkpoint.atPosition(3))).isTrue();
        for (ViewWrite<TestState> write : all) {
            assertThat(views.get(write.view().stream())).contains(write.view());
        }

        // the writes are sorted by stream before they are sent: stale ones at the first, a middle and the last place
        List<StreamId> sorted = streams.stream().sorted().toList();
        for (StreamId stale : List.of(sorted.get(0), sorted.get(40), sorted.get(69))) {
            List<ViewWrite<TestState>> oneStale = new java.util.ArrayList<>();
            for (StreamId stream : streams) {
                oneStale.add(new ViewWrite<>(aSnapshotOf(stream).at(3).build(), stream.equals(stale) ? 1 : 2));
            }
            assertThat(views.putAll(oneStale, projection, Checkpoint.atPosition(4))).as("stale: %s", stale).isFalse();
            for (StreamId stream : streams) {
                assertThat(views.get(stream).orElseThrow().revision()).as("written: none").isEqualTo(2);
            }
            assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(3));
        }

        List<ViewWrite<TestState>> firstAgain = new java.util.ArrayList<>();
        for (StreamId stream : streams) {
            firstAgain.add(new ViewWrite<>(aSnapshotOf(stream).at(3).build(), 2));
        }
        firstAgain.add(new ViewWrite<>(aSnapshotOf(all.get(7).view().stream()).at(2).build(), 0)); // stored at 1
        assertThat(views.putAll(firstAgain, projection, Checkpoint.atPosition(4))).isFalse();
        for (StreamId stream : streams) {
            assertThat(views.get(stream).orElseThrow().revision()).as("written: none").isEqualTo(2);
        }
        assertThat(views.get(all.get(7).view().stream())).contains(all.get(7).view());
        assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(3));
    }

    @Test
    void no_writes_save_only_the_checkpoint() {
        assertThat(views.putAll(List.of(), projection, Checkpoint.atPosition(3))).isTrue();

        assertThat(views.checkpoints().load(projection)).contains(Checkpoint.atPosition(3));
    }

    @Test
    void two_writes_for_one_stream_are_refused_before_anything_is_written() {
        StreamId stream = aNewStream();
        List<ViewWrite<TestState>> twice = List.of(
                new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0),
                new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 1));

        assertThatThrownBy(() -> views.putAll(twice, projection, Checkpoint.atPosition(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(stream.value());
        assertThatThrownBy(() -> views.putAll(List.of(), "", Checkpoint.atPosition(1)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(views.get(stream)).isEmpty();
        assertThat(views.checkpoints().load(projection)).isEmpty();
    }

    @Test
    void views_of_different_names_are_independent() {
        StreamId stream = aNewStream();
        TransactionalViewStore<TestState> other = stores().viewStore("other-" + UUID.randomUUID(), TestState.CODEC);
        Snapshot<TestState> here = aSnapshotOf(stream).at(2).build();

        assertThat(views.put(here, 0)).isTrue();

        assertThat(other.get(stream)).isEmpty();
        assertThat(other.put(aSnapshotOf(stream).at(1).build(), 0)).isTrue();
        assertThat(views.get(stream)).contains(here);
    }

    @Test
    void a_view_of_another_schema_version_reads_as_absent_and_is_replaced_by_a_first_view() {
        StreamId stream = aNewStream();
        String name = "versioned-" + UUID.randomUUID();
        stores().viewStore(name, TestState.CODEC).put(aSnapshotOf(stream).at(5).build(), 0);
        TransactionalViewStore<TestState> upgraded = stores().viewStore(name, TestState.codecOfVersion(2));

        assertThat(upgraded.get(stream)).isEmpty();
        Snapshot<TestState> rebuilt = aSnapshotOf(stream).at(5).build();
        assertThat(upgraded.put(rebuilt, 0)).isTrue();

        assertThat(upgraded.get(stream)).contains(rebuilt);
        assertThat(stores().viewStore(name, TestState.CODEC).get(stream)).as("read with the old version").isEmpty();
    }

    @Test
    void a_snapshot_of_another_schema_version_loads_as_absent_and_is_replaced() {
        StreamId stream = aNewStream();
        stores().snapshotStore(TestState.CODEC).save(aSnapshotOf(stream).at(9).build());
        var upgraded = stores().snapshotStore(TestState.codecOfVersion(2));

        assertThat(upgraded.load(stream)).isEmpty();
        Snapshot<TestState> rebuilt = aSnapshotOf(stream).at(3).build();
        assertThat(upgraded.save(rebuilt)).isTrue();

        assertThat(upgraded.load(stream)).contains(rebuilt);
    }

    private static PostgresStores stores() {
        return postgres.classStores();
    }
}
