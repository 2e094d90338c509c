package io.cairn.postgres;

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
import io.cairn.contracts.TestState;
import io.cairn.domain.StreamId;
import io.cairn.postgres.testing.PostgresStoresExtension;
import io.cairn.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How documents sit in PostgreSQL, beyond the contract: jsonb, byte-ordered keys, one transaction per write. */
class PostgresDocumentTableTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private String projection;
    private DocumentStore<TestState> store;

    @BeforeEach
    void newProjection() {
        projection = "orders-" + UUID.randomUUID();
        store = postgres.classStores().documentStore(projection, TestState.CODEC);
    }

    @Test
    void a_document_is_jsonb_that_sql_can_query() throws SQLException {
        store.write(List.of(put("order-1", "{\"status\":\"open\",\"lines\":[{\"sku\":\"a\",\"qty\":2}]}", 0)),
                List.of(), Optional.empty());

        try (Connection connection = TestPostgres.server().connect();
             PreparedStatement query = connection.prepareStatement("SELECT body->>'status', jsonb_typeof(body),"
                     + " (body->'lines'->0->>'qty')::int, version FROM " + schema()
                     + ".documents WHERE projection = ? AND key = ?")) {
            query.setString(1, projection);
            query.setString(2, "order-1");
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("open");
                assertThat(row.getString(2)).isEqualTo("object");
                assertThat(row.getInt(3)).isEqualTo(2);
                assertThat(row.getLong(4)).isEqualTo(1);
            }
        }
    }

    @Test
    void the_states_are_views_named_after_the_projection() {
        StreamId stream = aNewStream();
        Snapshot<TestState> state = aSnapshotOf(stream).at(4).withState("s", 4).build();
        store.write(List.of(), List.of(new ViewWrite<>(state, 0)), Optional.empty());

        assertThat(postgres.classStores().viewStore(projection + ".streams", TestState.CODEC).get(stream))
                .contains(state);
        assertThat(postgres.classStores().viewStore(projection, TestState.CODEC).get(stream)).isEmpty();
    }

    @Test
    void like_wildcards_and_backslashes_in_a_prefix_are_matched_literally() {
        store.write(puts("50%-off", "50x-off", "500", "a_b", "axb", "back\\slash", "backslash", "back\\\\double"),
                List.of(), Optional.empty());

        assertThat(keys(store.list("50%", Optional.empty(), 10))).containsExactly("50%-off");
        assertThat(keys(store.list("a_", Optional.empty(), 10))).containsExactly("a_b");
        assertThat(keys(store.list("back\\", Optional.empty(), 10))).containsExactly("back\\\\double", "back\\slash");
        assertThat(keys(store.list("back\\\\", Optional.empty(), 10))).containsExactly("back\\\\double");
        assertThat(keys(store.list("%", Optional.empty(), 10))).isEmpty();
        assertThat(keys(store.list("_", Optional.empty(), 10))).isEmpty();
    }

    @Test
    void keys_are_listed_in_the_byte_order_of_their_utf8_and_a_prefix_ends_where_it_does() {
        String bmpTop = "w-\uFFFF";
        String emoji = "w-\uD83D\uDE00";
        String last = "w-\uDBFF\uDFFF";
        store.write(puts("w.", "w-1", emoji, bmpTop, last + "x", last, "w", "v"), List.of(), Optional.empty());

        // UTF-16 order would put the emoji, a surrogate pair, before U+FFFF; UTF-8 bytes put it after
        assertThat(keys(store.list("w-", Optional.empty(), 10)))
                .containsExactly("w-1", bmpTop, emoji, last, last + "x");
        assertThat(keys(store.list(last, Optional.empty(), 10))).containsExactly(last, last + "x");
        assertThat(keys(store.list("w-", Optional.of(emoji), 10))).containsExactly(last, last + "x");
        assertThat(keys(store.list("", Optional.of(last + "x"), 10))).containsExactly("w.");
    }

    @Test
    void a_page_ends_at_the_limit_and_the_next_page_starts_after_it() {
        List<String> keys = IntStream.range(0, 25).mapToObj(i -> String.format("k-%03d", i)).toList();
        store.write(puts(keys.toArray(String[]::new)), List.of(), Optional.empty());

        List<String> seen = new ArrayList<>();
        Optional<String> after = Optional.empty();
        int pages = 0;
        do {
            DocumentPage page = store.list("k-", after, 10);
            seen.addAll(keys(page));
            after = page.next();
            pages++;
        } while (after.isPresent());

        assertThat(seen).isEqualTo(keys);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void a_write_that_conflicts_on_its_last_document_leaves_nothing() {
        List<String> keys = IntStream.range(0, 40).mapToObj(i -> String.format("doc-%02d", i)).toList();
        store.write(puts(keys.toArray(String[]::new)), List.of(), Optional.of(Checkpoint.atPosition(1)));
        store.write(List.of(put("zz-last", "{\"v\":1}", 0)), List.of(), Optional.empty());
        StreamId stream = aNewStream();
        // inserts, updates and deletes in runs of each kind, the stale write sorting last
        List<DocumentWrite> writes = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            writes.add(i % 10 < 5 ? put(keys.get(i), "{\"v\":2}", 1) : new DocumentWrite.Delete(keys.get(i), 1));
        }
        writes.add(put("new-1", "{\"v\":1}", 0));
        writes.add(put("new-2", "{\"v\":1}", 0));
        writes.add(put("zz-last", "{\"v\":2}", 5));
        Collections.shuffle(writes, new Random(7));

        boolean written = store.write(writes, List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)),
                Optional.of(Checkpoint.atPosition(2)));

        assertThat(written).isFalse();
        assertThat(store.list("", Optional.empty(), 100).documents())
                .allSatisfy(document -> assertThat(document.version()).isEqualTo(1))
                .extracting(StoredDocument::key).hasSize(41).doesNotContain("new-1", "new-2");
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(projection)).contains(Checkpoint.atPosition(1));
    }

    @Test
    void a_write_that_conflicts_on_its_last_state_leaves_no_document() {
        List<StreamId> streams = IntStream.range(0, 5).mapToObj(i -> aNewStream()).sorted().toList();
        StreamId lastStream = streams.get(streams.size() - 1);
        store.write(List.of(put("a", "{}", 0)), List.of(new ViewWrite<>(aSnapshotOf(lastStream).at(3).build(), 0)),
                Optional.empty());
        List<ViewWrite<TestState>> states = new ArrayList<>();
        for (StreamId stream : streams) {
            states.add(new ViewWrite<>(aSnapshotOf(stream).at(4).build(), stream.equals(lastStream) ? 2 : 0));
        }
        Collections.reverse(states);

        boolean written = store.write(List.of(put("a", "{\"n\":2}", 1), put("b", "{}", 0)), states,
                Optional.of(Checkpoint.atPosition(9)));

        assertThat(written).isFalse();
        assertThat(store.document("a").orElseThrow().version()).isEqualTo(1);
        assertThat(store.document("b")).isEmpty();
        assertThat(streams.subList(0, streams.size() - 1))
                .allSatisfy(stream -> assertThat(store.get(stream)).isEmpty());
        assertThat(store.get(lastStream).orElseThrow().revision()).isEqualTo(3);
        assertThat(store.checkpoints().load(projection)).isEmpty();
    }

    @Test
    void json_that_jsonb_refuses_fails_the_write_and_leaves_nothing() {
        StreamId stream = aNewStream();

        assertThatThrownBy(() -> store.write(List.of(put("good", "{}", 0), put("bad", "{not json", 0)),
                List.of(new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0)), Optional.of(Checkpoint.atPosition(3))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(projection);

        assertThat(store.document("good")).isEmpty();
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.checkpoints().load(projection)).isEmpty();
    }

    @Test
    void a_document_of_the_limit_is_kept_and_the_limit_counts_utf8_bytes() {
        String wrapper = "{\"x\":\"\"}";
        String atLimit = "{\"x\":\"" + "y".repeat((int) store.maxDocumentBytes() - wrapper.length()) + "\"}";
        // fewer characters than the limit, more bytes: é takes two
        String overInBytes = "{\"x\":\"" + "é".repeat((int) store.maxDocumentBytes() / 2) + "\"}";

        assertThat(store.write(List.of(put("big", atLimit, 0)), List.of(), Optional.empty())).isTrue();
        assertThat(store.document("big").orElseThrow().json().length()).isGreaterThanOrEqualTo(atLimit.length());
        assertThatThrownBy(() -> store.write(List.of(put("big", overInBytes, 1)), List.of(), Optional.empty()))
                .isInstanceOf(DocumentTooLargeException.class).hasMessageContaining("big");
    }

    @Test
    void writers_over_the_same_documents_and_states_in_any_order_do_not_deadlock() throws Exception {
        // enough rows that the transactions overlap: writing them in the order given, the racers deadlock here
        List<String> keys = IntStream.range(0, 300).mapToObj(i -> "hot-" + i).toList();
        List<StreamId> streams = IntStream.range(0, 10).mapToObj(i -> aNewStream()).toList();
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int racer = 0; racer < racers; racer++) {
                List<DocumentWrite> writes = new ArrayList<>(puts(keys.toArray(String[]::new)));
                List<ViewWrite<TestState>> states = streams.stream()
                        .map(stream -> new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0))
                        .collect(Collectors.toCollection(ArrayList::new));
                Collections.shuffle(writes, new Random(racer));
                Collections.shuffle(states, new Random(racer));
                results.add(pool.submit(() -> {
                    go.await();
                    return store.write(writes, states, Optional.of(Checkpoint.atPosition(1)));
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                try {
                    winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
                } catch (ExecutionException e) {
                    throw new AssertionError("a racer failed", e.getCause());
                }
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("hot-", Optional.empty(), 1000).documents()).hasSize(keys.size());
        assertThat(streams).allSatisfy(stream -> assertThat(store.get(stream)).isPresent());
    }

    @Test
    void arguments_outside_the_port_are_refused() {
        StreamId stream = aNewStream();
        Set<String> tooMany = IntStream.rangeClosed(0, DocumentStore.MAX_KEYS).mapToObj(i -> "k" + i)
                .collect(Collectors.toSet());

        assertThatThrownBy(() -> store.list("", Optional.empty(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("", Optional.empty(), 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.documents(tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write(List.of(), List.of(
                        new ViewWrite<>(aSnapshotOf(stream).at(1).build(), 0),
                        new ViewWrite<>(aSnapshotOf(stream).at(2).build(), 1)), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(stream.value());
        assertThatThrownBy(() -> postgres.classStores().documentStore("", TestState.CODEC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get(stream)).isEmpty();
        assertThat(store.documents(Set.of())).isEmpty();
        assertThat(store.list("", Optional.empty(), 1000).documents()).isEmpty();
    }

    private static String schema() {
        return postgres.classStores().settings().schema();
    }

    private static List<String> keys(DocumentPage page) {
        return page.documents().stream().map(StoredDocument::key).toList();
    }

    private static List<DocumentWrite> puts(String... keys) {
        List<DocumentWrite> writes = new ArrayList<>();
        for (String key : keys) {
            writes.add(put(key, "{\"key\":\"" + key.replace("\\", "\\\\") + "\"}", 0));
        }
        return writes;
    }

    private static DocumentWrite put(String key, String json, long expectedVersion) {
        return new DocumentWrite.Put(key, json, expectedVersion);
    }
}
