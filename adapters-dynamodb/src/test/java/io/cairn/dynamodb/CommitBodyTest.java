package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.aCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import org.junit.jupiter.api.Test;

class CommitBodyTest {

    @Test
    void a_compressible_commit_is_stored_compressed_and_reads_back_whole() {
        Commit commit = aCommit().withEvents(20).withMetadata("user", "ada").withMetadata("empty", "").build();

        CommitBody.Encoded body = CommitBody.encode(commit);
        CommitBody.Decoded decoded = CommitBody.decode(body.encoding(), body.bytes());

        assertThat(body.encoding()).isEqualTo(CommitBody.V2_ZSTD);
        assertThat(decoded.events()).isEqualTo(commit.events());
        assertThat(decoded.metadata()).isEqualTo(commit.metadata());
    }

    @Test
    void a_commit_compression_would_not_shrink_is_stored_plain() {
        Commit tiny = aCommit().withEvent("A", "1").build();

        CommitBody.Encoded body = CommitBody.encode(tiny);

        assertThat(body.encoding()).isEqualTo(CommitBody.V2);
        assertThat(CommitBody.decode(body.encoding(), body.bytes()).events()).isEqualTo(tiny.events());
    }

    @Test
    void each_events_version_reads_back() {
        Commit commit = new Commit(java.util.UUID.randomUUID(), java.util.List.of(
                new EventData("Deposited", "{\"amount\":5}", "{}", 3), new EventData("Opened", "{}")),
                java.util.Map.of());

        for (CommitBody.Encoded body : java.util.List.of(CommitBody.encode(commit),
                new CommitBody.Encoded(CommitBody.V2, CommitBody.frame(commit)))) {
            assertThat(CommitBody.decode(body.encoding(), body.bytes()).events())
                    .extracting(EventData::version).containsExactly(3, 1);
        }
    }

    @Test
    void a_body_written_before_events_had_versions_reads_as_version_1() {
        Commit old = aCommit().withEvents(20).build();
        byte[] plain = CommitBody.frame(old, false);

        for (CommitBody.Encoded body : java.util.List.of(new CommitBody.Encoded(CommitBody.V1, plain),
                new CommitBody.Encoded(CommitBody.V1_ZSTD, com.github.luben.zstd.Zstd.compress(plain, 3)))) {
            java.util.List<EventData> events = CommitBody.decode(body.encoding(), body.bytes()).events();
            assertThat(events).isEqualTo(old.events());
            assertThat(events).extracting(EventData::version).containsOnly(1);
        }
    }

    @Test
    void an_unknown_encoding_or_a_corrupt_body_is_a_clear_error() {
        CommitBody.Encoded body = CommitBody.encode(aCommit().withEvents(20).build());

        assertThatThrownBy(() -> CommitBody.decode("cairn9+brotli", body.bytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cairn9+brotli");
        assertThatThrownBy(() -> CommitBody.decode(CommitBody.V1, new byte[] {5, 1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> CommitBody.decode(CommitBody.V1_ZSTD, new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IllegalStateException.class);
    }
}
