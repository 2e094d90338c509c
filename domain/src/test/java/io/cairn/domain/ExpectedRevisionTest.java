package io.cairn.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpectedRevisionTest {

    @Test
    void exactly_zero_means_no_stream() {
        assertThat(ExpectedRevision.exactly(0)).isSameAs(ExpectedRevision.NO_STREAM);
        assertThat(ExpectedRevision.NO_STREAM.toRevision()).hasValue(0);
    }

    @Test
    void an_exact_revision_carries_its_number_and_any_carries_none() {
        assertThat(ExpectedRevision.exactly(7).toRevision()).hasValue(7);
        assertThat(ExpectedRevision.ANY.toRevision()).isEmpty();
    }

    @Test
    void a_negative_revision_is_invalid_input() {
        assertThatThrownBy(() -> ExpectedRevision.exactly(-1)).isInstanceOf(InvalidInputException.class);
    }
}
