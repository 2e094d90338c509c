package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.bench.Codecs.Codec;
import io.cairn.bench.Codecs.Row;
import io.cairn.domain.Commit;
import io.cairn.dynamodb.CommitBody;
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

        byte[] raw = CommitBody.frame(commit(500));
        for (Codec codec : Codec.values()) {
            assertThat(codec.decode(codec.encode(raw))).as(codec.label).isEqualTo(raw);
        }
    }

    private static Commit commit(int events) {
        List<UUID> accounts = List.of(new UUID(1, 2), new UUID(3, 4), new UUID(5, 6));
        return Codecs.ledgerCommit(new Random(7), accounts, events, 0);
    }
}
