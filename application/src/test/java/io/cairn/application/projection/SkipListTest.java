package io.cairn.application.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The skip list's stored form: what is written is read back exactly, whatever the error's text holds. */
class SkipListTest {

    @Test
    void skipped_commits_with_and_without_a_position_read_back_exactly() {
        List<SkippedCommit> skipped = List.of(
                new SkippedCommit(StreamId.of("account-42"), 3, OptionalLong.of(17),
                        "IllegalStateException: a\ttab, a\nnew line, a \\ backslash and a \\t that is not one",
                        Instant.parse("2026-12-01T12:00:00.123456789Z"), Instant.parse("2026-12-01T12:05:00Z")),
                new SkippedCommit(StreamId.of("product-lamp-1"), 1, OptionalLong.empty(), "",
                        Instant.parse("2026-12-01T13:00:00Z"), Instant.parse("2026-12-01T13:00:01Z")));

        Checkpoint stored = SkipList.encode(skipped);

        assertThat(SkipList.decode(Optional.of(stored))).isEqualTo(skipped);
        assertThat(stored.value()).startsWith("cairn-skipped-v1\n").hasLineCount(3);
    }

    @Test
    void nothing_stored_is_an_empty_list_and_a_long_error_is_cut() {
        assertThat(SkipList.decode(Optional.empty())).isEmpty();
        assertThat(SkipList.decode(Optional.of(SkipList.encode(List.of())))).isEmpty();
        SkippedCommit long_ = new SkippedCommit(StreamId.of("a-1"), 1, OptionalLong.empty(), "x".repeat(10_000),
                Instant.EPOCH, Instant.EPOCH);
        assertThat(SkipList.decode(Optional.of(SkipList.encode(List.of(long_)))).get(0).error())
                .hasSize(SkipList.MAX_ERROR_CHARS + 1).endsWith("…");
    }

    @Test
    void a_record_of_another_format_is_refused_not_misread() {
        assertThatThrownBy(() -> SkipList.decode(Optional.of(new Checkpoint("17"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cairn-skipped-v1");
        assertThat(SkipList.key("owners")).isEqualTo("$skipped/owners");
    }
}
