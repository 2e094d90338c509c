package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.cairn.bench.Codecs.Codec;
import io.cairn.bench.Codecs.Row;
import io.cairn.domain.Commit;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The codec comparison on tiny settings: every codec round-trips, on the bytes the DynamoDB adapter compresses. */
class CodecsTest {

    @Test
    void every_codec_gives_back_every_commit_and_the_table_has_a_row_per_codec_and_size() {
        List<Row> rows = new Codecs(line -> { }).run(List.of(1, 5), 3, 7, Duration.ZERO, Duration.ZERO);

        assertThat(rows).hasSize(2 * Codec.values().length);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.commits()).isEqualTo(3);
            assertThat(row.rounds()).isGreaterThanOrEqualTo(2);
            assertThat(row.sizeBytes()).isPositive();
            assertThat(row.encodeMicros()).isPositive();
            assertThat(row.decodeMicros()).isPositive();
        });
        assertThat(rows.stream().filter(row -> row.events() == 5).map(Row::rawBytes).distinct())
                .singleElement().satisfies(raw -> assertThat(raw).isBetween(1_500.0, 2_500.0));
        String table = Codecs.table(rows);
        assertThat(table.lines()).hasSize(2 + rows.size());
        for (Codec codec : Codec.values()) {
            assertThat(table).containsPattern("\\| 1 \\| [0-9,]+ \\| " + codec.label + " \\|")
                    .containsPattern("\\| 5 \\| [0-9,]+ \\| " + codec.label + " \\|");
        }

        byte[] raw = Codecs.frame(commit(500));
        for (Codec codec : Codec.values()) {
            assertThat(codec.decode(codec.encode(raw))).as(codec.label).isEqualTo(raw);
        }
    }

    @Test
    void commits_are_framed_as_the_dynamodb_adapter_frames_them() throws Exception {
        Commit commit = commit(20);

        assertThat(Codecs.frame(commit)).isEqualTo(commitBodyFrame(commit));
        assertThat(Codecs.frame(commit(20))).as("the same seed, the same bytes").isEqualTo(Codecs.frame(commit));
    }

    private static Commit commit(int events) {
        List<UUID> accounts = List.of(new UUID(1, 2), new UUID(3, 4), new UUID(5, 6));
        return Codecs.ledgerCommit(new Random(7), accounts, events, 0);
    }

    /** CommitBody is package-private to the adapter: its Zstandard body, decompressed, is its framing. */
    private static byte[] commitBodyFrame(Commit commit) throws Exception {
        Class<?> commitBody = Class.forName("io.cairn.dynamodb.CommitBody");
        Method encode = commitBody.getDeclaredMethod("encode", Commit.class);
        encode.setAccessible(true);
        Object encoded = encode.invoke(null, commit);
        Method encoding = encoded.getClass().getDeclaredMethod("encoding");
        Method bytes = encoded.getClass().getDeclaredMethod("bytes");
        encoding.setAccessible(true);
        bytes.setAccessible(true);
        assertThat(encoding.invoke(encoded)).isEqualTo("cairn1+zstd");
        byte[] compressed = (byte[]) bytes.invoke(encoded);
        return Zstd.decompress(compressed, (int) Zstd.getFrameContentSize(compressed));
    }
}
