package io.cairn.postgres;

import static io.cairn.contracts.JsonAssertions.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentWrite;
import io.cairn.contracts.DocumentStoreContract;
import io.cairn.contracts.TestState;
import io.cairn.postgres.testing.PostgresStoresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDocumentStoreTest extends DocumentStoreContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected DocumentStore<TestState> newStore(String projection) {
        return postgres.classStores().documentStore(projection, TestState.CODEC);
    }

    /**
     * 70 updates with inserts and deletes among them: set-based in write_derived (from 4 updates, 32 rows per
     * UPDATE), the inserts and deletes one by one. Then one stale update among the many, in the last chunk, writes
     * nothing: no other document, no insert, no delete, no checkpoint.
     */
    @Test
    void many_updates_are_written_together_and_one_stale_among_them_in_a_later_chunk_writes_none() {
        List<DocumentWrite> first = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            first.add(new DocumentWrite.Put(key(i), "{\"i\":" + i + "}", 0));
        }
        assertThat(store.write(first, List.of(), Optional.of(Checkpoint.atPosition(1)))).isTrue();

        List<DocumentWrite> mixed = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            mixed.add(new DocumentWrite.Put(key(i), "{\"i\":" + i + ",\"v\":2}", 1));
        }
        for (int i = 70; i < 80; i++) {
            mixed.add(new DocumentWrite.Delete(key(i), 1));
        }
        mixed.add(new DocumentWrite.Put("new", "{\"new\":true}", 0));
        assertThat(store.write(mixed, List.of(), Optional.of(Checkpoint.atPosition(2)))).isTrue();
        for (int i = 0; i < 70; i++) {
            assertSameJson(store.document(key(i)).orElseThrow().json(), "{\"i\":" + i + ",\"v\":2}");
            assertThat(store.document(key(i)).orElseThrow().version()).isEqualTo(2);
        }
        for (int i = 70; i < 80; i++) {
            assertThat(store.document(key(i))).isEmpty();
        }

        List<DocumentWrite> oneStale = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            oneStale.add(new DocumentWrite.Put(key(i), "{\"v\":3}", i == 68 ? 1 : 2)); // key 68 is at 2
        }
        oneStale.add(new DocumentWrite.Delete("new", 1));
        oneStale.add(new DocumentWrite.Put("newer", "{}", 0));
        assertThat(store.write(oneStale, List.of(), Optional.of(Checkpoint.atPosition(3)))).isFalse();
        for (int i = 0; i < 70; i++) {
            assertThat(store.document(key(i)).orElseThrow().version()).as("written: none").isEqualTo(2);
        }
        assertThat(store.document("new")).isPresent();
        assertThat(store.document("newer")).isEmpty();
        assertThat(store.checkpoints().load(store.projection())).contains(Checkpoint.atPosition(2));
    }

    private static String key(int i) {
        return String.format("doc-%03d", i);
    }
}
