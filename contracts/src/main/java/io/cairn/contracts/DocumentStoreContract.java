package io.cairn.contracts;

import static io.cairn.contracts.JsonAssertions.assertSameJson;
import static io.cairn.contracts.TestSnapshots.aSnapshotOf;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DocumentStore} does: keeps a projection's documents by key with a version each, its per-stream
 * states, and writes documents, states and checkpoint all or nothing, each document and state by compare-and-set,
 * so that a projection applies every commit exactly once even when two writers race.
 *
 * <p>To use it, extend it and implement {@link #newStore(String)}: an empty store of the projection named, with
 * states of {@link TestState} encoded by {@link TestState#CODEC}; two calls with different names in one test must
 * give stores that see nothing of each other but share their checkpoint store.
 */
public abstract class DocumentStoreContract {

    private static final int RACERS = 8;

    protected DocumentStore<TestState> store;
    private String name;

    /** An empty store of the projection {@code projection}'s documents. */
    protected abstract DocumentStore<TestState> newStore(String projection);

    @BeforeEach
    final void createStore() {
        name = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = newStore(name);
    }

    @Test
    void a_document_put_is_read_back_at_version_one() {
        assertThat(store.write(List.of(put("order-1", "{\"order\":\"order-1\",\"lines\":{\"a\":1}}", 0)), List.of(),
                Optional.empty())).isTrue();

        StoredDocument stored = store.document("order-1").orElseThrow();
        assertThat(stored.key()).isEqualTo("order-1");
        assertThat(stored.version()).isEqualTo(1);
        assertSameJson(stored.json(), "{\"order\":\"order-1\",\"lines\":{\"a\":1}}");
        assertThat(store.document("order-2")).isEmpty();
    }

    @Test
    void text_survives_as_written() {
        String json = "{\"name\":\"données ✓ \\\"quoted\\\" \\\\ 日本\",\"n\":-12.5,\"empty\":{},\"list\":[1,null,true]}";
        store.write(List.of(put("k", json, 0)), List.of(), Optional.empty());

        assertSameJson(store.document("k").orElseThrow().json(), json);
    }

    @Test
    void each_write_moves_the_version_on_and_a_stale_version_writes_nothing() {
        store.write(List.of(put("k", "{\"n\":1}", 0)), List.of(), Optional.empty());
        assertThat(store.write(List.of(put("k", "{\"n\":2}", 1)), List.of(), Optional.empty())).isTrue();

        assertThat(store.write(List.of(put("k", "{\"n\":3}", 1)), List.of(), Optional.empty())).isFalse();
        assertThat(store.write(List.of(put("k", "{\"n\":3}", 0)), List.of(), Optional.empty())).isFalse();

        StoredDocument stored = store.document("k").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertSameJson(stored.json(), "{\"n\":2}");
    }

    @Test
    void a_delete_removes_a_document_at_its_version_only() {
        store.write(List.of(put("k", "{\"n\":1}", 0)), List.of(), Optional.empty());

        assertThat(store.write(List.of(new DocumentWrite.Delete("k", 2)), List.of(), Optional.empty())).isFalse();
        assertThat(store.document("k")).isPresent();
        assertThat(store.write(List.of(new DocumentWrite.Delete("k", 1)), List.of(), Optional.empty())).isTrue();
        assertThat(store.document("k")).isEmpty();
        assertThat(store.write(List.of(put("k", "{\"n\":9}", 0)), List.of(), Optional.empty())).isTrue();
        assertThat(store.document("k").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void documents_states_and_checkpoint_are_written_together() {
        StreamId stream = aNewStream();
        Snapshot<TestState> state = aSnapshotOf(stream).at(3).withState("s", 3).build();

        assertThat(store.write(List.of(put("a", "{\"a\":1}", 0), put("b", "{\"b\":1}", 0)),
                List.of(new ViewWrite<>(state, 0)), Optional.of(Checkpoint.atPosition(42)))).isTrue();

        assertThat(store.documents(Set.of("a", "b", "c")).keySet()).containsExactlyInAnyOrder("a", "b");
        assertThat(store.get(stream)).contains(state);
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(42));
    }

    @Test
    void a_stale_document_writes_no_state_no_other_document_and_no_checkpoint() {
        StreamId stream = aNewStream();
        store.write(List.of(put("a", "{\"a\":1}", 0)), List.of(), Optional.of(Checkpoint.atPosition(1)));

        boolean written = store.write(List.of(put("b", "{\"b\":1}", 0), put("a", "{\"a\":2}", 7)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(2)));

        assertThat(written).isFalse();
        assertThat(store.document("b")).isEmpty();
        assertSameJson(store.document("a").orElseThrow().json(), "{\"a\":1}");
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(1));
    }

    @Test
    void several_updates_are_written_together_and_one_stale_among_them_writes_none() {
        store.write(List.of(put("a", "{\"a\":1}", 0), put("b", "{\"b\":1}", 0), put("c", "{\"c\":1}", 0)),
                List.of(), Optional.of(Checkpoint.atPosition(1)));

        assertThat(store.write(List.of(put("a", "{\"a\":2}", 1), put("b", "{\"b\":2}", 1), put("c", "{\"c\":2}", 1)),
                List.of(), Optional.of(Checkpoint.atPosition(2)))).isTrue();
        for (String key : List.of("a", "b", "c")) {
            assertSameJson(store.document(key).orElseThrow().json(), "{\"" + key + "\":2}");
            assertThat(store.document(key).orElseThrow().version()).isEqualTo(2);
        }

        boolean written = store.write(List.of(put("a", "{\"a\":3}", 2), put("b", "{\"b\":3}", 1),
                put("c", "{\"c\":3}", 2)), List.of(), Optional.of(Checkpoint.atPosition(3)));

        assertThat(written).isFalse();
        for (String key : List.of("a", "b", "c")) {
            assertSameJson(store.document(key).orElseThrow().json(), "{\"" + key + "\":2}");
        }
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(2));
    }

    @Test
    void a_stale_state_writes_no_document_and_no_checkpoint() {
        StreamId stream = aNewStream();
        Snapshot<TestState> first = aSnapshotOf(stream).at(1).build();
        store.write(List.of(), List.of(new ViewWrite<>(first, 0)), Optional.of(Checkpoint.atPosition(1)));

        boolean written = store.write(List.of(put("a", "{\"a\":1}", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 0)), Optional.of(Checkpoint.atPosition(2)));

        assertThat(written).isFalse();
        assertThat(store.document("a")).isEmpty();
        assertThat(store.get(stream)).contains(first);
        assertThat(store.checkpoints().load(name)).contains(Checkpoint.atPosition(1));
        assertThat(store.write(List.of(), List.of(new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 1)),
                Optional.empty())).isTrue();
        assertThat(store.get(stream).orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    void states_are_a_view_store_too() {
        StreamId stream = aNewStream();
        Snapshot<TestState> state = aSnapshotOf(stream).at(1).withState("x", 1).build();

        assertThat(store.put(state, 0)).isTrue();
        assertThat(store.put(aSnapshotOf(stream).at(2).build(), 0)).isFalse();
        assertThat(store.get(stream)).contains(state);
    }

    @Test
    void a_document_over_the_limit_is_refused_naming_it_and_nothing_is_written() {
        String big = "{\"x\":\"" + "y".repeat((int) store.maxDocumentBytes()) + "\"}";
        StreamId stream = aNewStream();

        assertThatThrownBy(() -> store.write(List.of(put("small", "{}", 0), put("huge", big, 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(5))))
                .isInstanceOf(DocumentTooLargeException.class)
                .hasMessageContaining("huge").hasMessageContaining(name);

        assertThat(store.document("small")).isEmpty();
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(name)).isEmpty();
    }

    @Test
    void two_writes_for_one_key_are_refused() {
        assertThatThrownBy(() -> store.write(List.of(put("k", "{}", 0), new DocumentWrite.Delete("k", 1)), List.of(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_listing_is_in_key_order_filtered_by_prefix_and_paged() {
        List<DocumentWrite> writes = new ArrayList<>();
        for (String key : List.of("w-2", "w-10", "w-1", "x-1", "v-9", "w-3")) {
            writes.add(put(key, "{\"k\":\"" + key + "\"}", 0));
        }
        store.write(writes, List.of(), Optional.empty());

        DocumentPage first = store.list("w-", Optional.empty(), 2);
        assertThat(first.documents()).extracting(StoredDocument::key).containsExactly("w-1", "w-10");
        assertThat(first.next()).contains("w-10");
        DocumentPage second = store.list("w-", first.next(), 2);
        assertThat(second.documents()).extracting(StoredDocument::key).containsExactly("w-2", "w-3");
        assertThat(second.next()).as("no page after the last").isEmpty();
        assertThat(store.list("w-", Optional.of("w-3"), 2).documents()).isEmpty();

        assertThat(store.list("", Optional.empty(), 10).documents()).extracting(StoredDocument::key)
                .containsExactly("v-9", "w-1", "w-10", "w-2", "w-3", "x-1");
        assertThat(store.list("", Optional.empty(), 10).next()).isEmpty();
        assertThat(store.list("", Optional.of("w-3"), 10).documents()).extracting(StoredDocument::key)
                .containsExactly("x-1");
        assertThat(store.list("z", Optional.empty(), 10).documents()).isEmpty();
    }

    @Test
    void projections_do_not_see_each_others_documents_or_states() {
        DocumentStore<TestState> other = newStore(name + "-other");
        StreamId stream = aNewStream();
        store.write(List.of(put("k", "{\"mine\":true}", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(3)));

        assertThat(other.document("k")).isEmpty();
        assertThat(other.get(stream)).isEmpty();
        assertThat(other.list("", Optional.empty(), 10).documents()).isEmpty();
        assertThat(other.checkpoints().load(name + "-other")).isEmpty();
        assertThat(other.write(List.of(put("k", "{\"mine\":false}", 0)), List.of(), Optional.empty())).isTrue();
        assertSameJson(store.document("k").orElseThrow().json(), "{\"mine\":true}");
    }

    @Test
    void writers_racing_on_one_document_version_have_one_winner() {
        store.write(List.of(put("hot", "{\"n\":0}", 0)), List.of(), Optional.empty());

        List<Race.Outcome<Boolean>> outcomes = Race.run(RACERS, racer -> () -> store.write(
                List.of(put("hot", "{\"n\":" + (racer + 1) + "}", 1)), List.of(), Optional.empty()));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.error()).isNull());
        assertThat(outcomes).filteredOn(outcome -> Boolean.TRUE.equals(outcome.value())).hasSize(1);
        assertThat(store.document("hot").orElseThrow().version()).isEqualTo(2);
    }

    private static DocumentWrite put(String key, String json, long expectedVersion) {
        return new DocumentWrite.Put(key, json, expectedVersion);
    }

    @Test
    void delete_all_removes_the_documents_states_and_checkpoint_of_this_projection_only() {
        DocumentStore<TestState> other = newStore(name + "-kept");
        StreamId stream = aNewStream();
        List<DocumentWrite> documents = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            documents.add(put("doc-" + i, "{\"i\":" + i + "}", 0));
        }
        assertThat(store.write(documents, List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(9)))).isTrue();
        assertThat(other.write(List.of(put("doc-0", "{\"kept\":true}", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 0)),
                Optional.of(Checkpoint.atPosition(4)))).isTrue();

        store.deleteAll();

        assertThat(store.list("", Optional.empty(), 1000).documents()).isEmpty();
        assertThat(store.document("doc-0")).isEmpty();
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(name)).isEmpty();
        assertSameJson(other.document("doc-0").orElseThrow().json(), "{\"kept\":true}");
        assertThat(other.get(stream).orElseThrow().revision()).isEqualTo(2);
        assertThat(other.checkpoints().load(name + "-kept")).contains(Checkpoint.atPosition(4));
        assertThat(store.write(List.of(put("doc-0", "{\"again\":true}", 0)), List.of(), Optional.empty()))
                .as("a document written anew starts at version 0 again").isTrue();
    }
}
