package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.aCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.Commit;
import org.junit.jupiter.api.Test;

class CommitBodyTest {

    @Test
    void a_compressible_commit_is_stored_compressed_and_reads_back_whole() {
        Commit commit = aCommit().withEvents(20).withMetadata("user", "ada").withMetadata("empty", "").build();

        CommitBody.Encoded body = CommitBody.encode(commit);
        CommitBody.Decoded decoded = CommitBody.decode(body.encoding(), body.bytes());

        assertThat(body.encoding()).isEqualTo(CommitBody.V1_ZSTD);
        assertThat(decoded.events()).isEqualTo(commit.events());
        assertThat(decoded.metadata()).isEqualTo(commit.metadata());
    }

    @Test
    void a_commit_compression_would_not_shrink_is_stored_plain() {
        Commit tiny = aCommit().withEvent("A", "1").build();

        CommitBody.Encoded body = CommitBody.encode(tiny);

        assertThat(body.encoding()).isEqualTo(CommitBody.V1);
        assertThat(CommitBody.decode(body.encoding(), body.bytes()).events()).isEqualTo(tiny.events());
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
