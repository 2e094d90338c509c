package io.cairn.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommitTest {

    @Test
    void a_commit_without_events_is_refused() {
        assertThatThrownBy(() -> Commit.of(UUID.randomUUID(), List.of()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("events"));
    }

    @Test
    void event_numbers_continue_from_the_commits_first_number() {
        Commit commit = Commit.of(UUID.randomUUID(), new EventData("A", "{}"), new EventData("B", "{}"));
        RecordedCommit recorded = RecordedCommit.of(StreamId.of("s-1"), 3, 7, commit, Instant.EPOCH, OptionalLong.empty());

        assertThat(recorded.recordedEvents()).extracting(RecordedEvent::eventNumber).containsExactly(7L, 8L);
        assertThat(recorded.lastEventNumber()).isEqualTo(8);
    }

    @Test
    void an_event_type_outside_the_alphabet_is_refused() {
        assertThatThrownBy(() -> new EventData("has space", "{}")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void the_approximate_size_counts_utf8_bytes() {
        assertThat(new EventData("T", "\"é\"", "{}").approximateSize()).isEqualTo(1 + 4 + 2);
    }
}
