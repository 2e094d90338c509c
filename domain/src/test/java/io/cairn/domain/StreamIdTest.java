package io.cairn.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamIdTest {

    @Test
    void a_stream_id_splits_into_category_and_id_at_the_first_dash() {
        StreamId stream = StreamId.of("account", "42-b");

        assertThat(stream.value()).isEqualTo("account-42-b");
        assertThat(stream.category()).isEqualTo("account");
        assertThat(stream.idWithinCategory()).isEqualTo("42-b");
    }

    @Test
    void a_stream_id_without_a_dash_is_its_own_category() {
        assertThat(StreamId.of("ledger").category()).isEqualTo("ledger");
    }

    @Test
    void two_hundred_characters_are_accepted_and_one_more_is_not() {
        assertThat(StreamId.of("a".repeat(200)).value()).hasSize(200);
        assertThatThrownBy(() -> StreamId.of("a".repeat(201)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1-200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "$all", "with space", "slash/y", "ümlaut", "semi;colon", "new\nline"})
    void ids_outside_the_alphabet_are_refused_with_the_field_named(String bad) {
        assertThatThrownBy(() -> StreamId.of(bad))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("stream"));
    }

    @Test
    void an_empty_id_within_a_category_is_refused() {
        assertThatThrownBy(() -> StreamId.of("account", ""))
                .isInstanceOf(InvalidInputException.class);
    }
}
