package io.cairn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StreamsCheckpointTest {

    private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_123L);

    @Test
    void a_following_checkpoint_round_trips_with_its_shards_in_order() {
        Map<String, String> shards = new LinkedHashMap<>();
        shards.put("shardId-00000001700000000000-1a2b3c4d", "49590338271490256608559692538361571095921575989136588898");
        shards.put("shardId-00000001700000000001-5e6f7a8b", StreamsCheckpoint.DONE);
        StreamsCheckpoint checkpoint = new StreamsCheckpoint.Following("2026-11-22T16:44:34.123", AT, shards);

        Checkpoint token = checkpoint.toCheckpoint();

        assertThat(token.value()).startsWith("dds1 F 2026-11-22T16:44:34.123 1790000000123 shardId-");
        assertThat(StreamsCheckpoint.parse(token)).isEqualTo(checkpoint);
    }

    @Test
    void a_scanning_and_an_empty_following_checkpoint_round_trip() {
        StreamsCheckpoint scanning = new StreamsCheckpoint.Scanning("label", AT, StreamId.of("account-42"), 7);
        StreamsCheckpoint empty = new StreamsCheckpoint.Following("label", AT, Map.of());

        assertThat(StreamsCheckpoint.parse(scanning.toCheckpoint())).isEqualTo(scanning);
        assertThat(StreamsCheckpoint.parse(empty.toCheckpoint())).isEqualTo(empty);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "dds2 F label 1 -", "dds1 X label 1 -", "dds1 F label notatime -",
            "dds1 F label 1 shard", "dds1 F label 1 a=1,a=2", "dds1 S label 1 bad$stream 3", "dds1 F label 1 - extra"})
    void a_checkpoint_this_channel_did_not_issue_is_refused(String value) {
        assertThatThrownBy(() -> StreamsCheckpoint.parse(new Checkpoint(value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a checkpoint of the DynamoDB Streams channel");
    }
}
