package io.cairn.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CheckpointStore} does: remembers the last checkpoint saved per projection, byte for byte,
 * whether it is a global position or an opaque token such as a map of stream shards to sequence numbers.
 *
 * <p>To use it, extend it and implement {@link #newStore()} to return an empty store, fresh for each test.
 */
public abstract class CheckpointStoreContract {

    protected CheckpointStore store;

    /** An empty store; called once before each test. */
    protected abstract CheckpointStore newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    @Test
    void a_saved_position_checkpoint_loads_back() {
        String projection = aNewProjection();

        store.save(projection, Checkpoint.atPosition(42));

        assertThat(store.load(projection)).contains(Checkpoint.atPosition(42));
        assertThat(store.load(projection).orElseThrow().position()).isEqualTo(42);
    }

    @Test
    void a_projection_that_never_saved_loads_empty() {
        String saved = aNewProjection();
        String never = aNewProjection();
        store.save(saved, Checkpoint.atPosition(1));

        assertThat(store.load(saved)).contains(Checkpoint.atPosition(1));
        assertThat(store.load(never)).isEmpty();
    }

    @Test
    void a_save_replaces_the_previous_checkpoint() {
        String projection = aNewProjection();
        store.save(projection, Checkpoint.atPosition(5));

        store.save(projection, Checkpoint.atPosition(9));

        assertThat(store.load(projection)).contains(Checkpoint.atPosition(9));
    }

    @Test
    void projections_keep_checkpoints_of_their_own() {
        String base = aNewProjection();
        String a = base + "-a";
        String b = base + "-b";
        String upperA = base.toUpperCase() + "-A";
        store.save(a, Checkpoint.atPosition(5));
        store.save(b, Checkpoint.atPosition(7));
        store.save(upperA, Checkpoint.atPosition(11));

        store.save(a, Checkpoint.atPosition(6));

        assertThat(store.load(a)).contains(Checkpoint.atPosition(6));
        assertThat(store.load(b)).contains(Checkpoint.atPosition(7));
        assertThat(store.load(upperA)).as("a name differing only in case").contains(Checkpoint.atPosition(11));
    }

    @Test
    void an_opaque_token_round_trips_unchanged() {
        String projection = aNewProjection();
        Checkpoint shards = new Checkpoint("{\"shardId-00000001700000000000-1a2b3c4d\":"
                + "\"49590338271490256608559692538361571095921575989136588898\","
                + "\"shardId-00000001700000000001-5e6f7a8b\":\"49590338271490256608559692540000000000000000000000000001\"}");

        store.save(projection, shards);

        assertThat(store.load(projection)).contains(shards);
    }

    @Test
    void an_opaque_token_replaces_a_position_and_a_long_one_round_trips() {
        String projection = aNewProjection();
        store.save(projection, Checkpoint.atPosition(3));
        Checkpoint manyShards = new Checkpoint(IntStream.range(0, 100)
                .mapToObj(i -> "\"shardId-" + i + "-" + UUID.randomUUID() + "\":\"" + (495903382714902566L + i) + "\"")
                .collect(Collectors.joining(",", "{", "}")));

        store.save(projection, manyShards);

        assertThat(store.load(projection)).contains(manyShards);
    }

    private static String aNewProjection() {
        return "projection-" + UUID.randomUUID();
    }

    @Test
    void a_deleted_checkpoint_loads_empty_and_the_others_stay() {
        String deleted = aNewProjection();
        String kept = aNewProjection();
        store.save(deleted, Checkpoint.atPosition(7));
        store.save(kept, Checkpoint.atPosition(8));

        store.delete(deleted);

        assertThat(store.load(deleted)).isEmpty();
        assertThat(store.load(kept)).contains(Checkpoint.atPosition(8));
        store.save(deleted, Checkpoint.atPosition(1));
        assertThat(store.load(deleted)).as("saved again after the delete").contains(Checkpoint.atPosition(1));
    }

    @Test
    void deleting_a_checkpoint_that_was_never_saved_does_nothing_to_the_others() {
        String never = aNewProjection();
        String other = aNewProjection();
        store.save(other, Checkpoint.atPosition(3));

        store.delete(never);

        assertThat(store.load(never)).isEmpty();
        assertThat(store.load(other)).contains(Checkpoint.atPosition(3));
    }
}
