package io.cairn.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.domain.InvalidInputException;
import io.cairn.domain.Rejection;
import io.cairn.testkit.Counter.Add;
import io.cairn.testkit.Counter.Added;
import io.cairn.testkit.Counter.Count;
import io.cairn.testkit.Counter.Explode;
import io.cairn.testkit.Counter.Touch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

class AggregateFixtureTest {

    private final AggregateFixture<Counter.Command, Counter.Event, Count> counter = AggregateFixture.of(new Counter());

    // passing assertions

    @Test
    void given_events_are_folded_before_the_command_is_decided() {
        counter.given(new Added(4), new Added(5)).when(new Add(1))
                .thenEvents(new Added(1))
                .thenState(state -> assertThat(state).isEqualTo(new Count(10)));
    }

    @Test
    void given_may_be_called_again_and_leaves_the_fixture_it_was_called_on_unchanged() {
        AggregateFixture<Counter.Command, Counter.Event, Count> four = counter.given(new Added(4));

        assertThat(four.given(List.of(new Added(5))).given(new Added(1)).state()).isEqualTo(new Count(10));
        assertThat(four.state()).isEqualTo(new Count(4));
        assertThat(counter.state()).isEqualTo(new Count(0));
    }

    @Test
    void given_state_starts_from_that_state_and_later_events_fold_onto_it() {
        assertThat(counter.given(new Added(1)).givenState(new Count(7)).given(new Added(2)).state())
                .isEqualTo(new Count(9));
    }

    @Test
    void a_rejection_is_matched_by_its_reason_and_leaves_the_given_state() {
        counter.given(new Added(10)).when(new Add(1))
                .thenRejected("too_big")
                .thenState(state -> assertThat(state.value()).isEqualTo(10));
    }

    @Test
    void an_accepted_command_without_events_is_nothing() {
        counter.when(new Touch()).thenNothing().thenEvents();
    }

    @Test
    void an_exception_from_decide_is_asserted_with_then_throws() {
        counter.when(new Explode()).thenThrows(IllegalStateException.class).hasMessage("boom");
        counter.when(new Explode()).thenThrows(RuntimeException.class);
    }

    @Test
    void a_registered_aggregate_reads_json_commands_with_its_readers() {
        AggregateFixture.of(Counter.TYPE).given(new Added(2)).when("add", "{\"amount\":3}")
                .thenEvents(new Added(3))
                .thenState(state -> assertThat(state.value()).isEqualTo(5));
        AggregateFixture.of(Counter.TYPE).when("touch", "").thenNothing();
    }

    @Test
    void a_body_the_reader_refuses_is_invalid_input_naming_the_field() {
        AggregateFixture.of(Counter.TYPE).when("add", "{\"amount\":0}").thenInvalidInput("amount")
                .hasMessageContaining("> 0");
        AggregateFixture.of(Counter.TYPE).when("add", "{\"amount\":1,\"extra\":2}").thenInvalidInput("extra");
    }

    // failures: each shows both sides

    @Test
    void other_events_fail_showing_both_lists() {
        AssertionFailedError e = failure(() -> counter.when(new Add(3)).thenEvents(new Added(2)));

        assertThat(e).hasMessageStartingWith("expected events [Added[amount=2]] but got [Added[amount=3]]")
                .hasMessageContaining("when: Add[amount=3]");
        assertThat(e.getExpected().getValue()).isEqualTo(List.of(new Added(2)));
        assertThat(e.getActual().getValue()).isEqualTo(List.of(new Added(3)));
    }

    @Test
    void events_in_another_order_or_number_fail() {
        failure(() -> counter.when(new Add(3)).thenEvents(new Added(3), new Added(3)));
        failure(() -> counter.when(new Add(3)).thenEvents());
    }

    @Test
    void expecting_events_from_a_rejected_command_fails_with_the_rejection() {
        AssertionFailedError e = failure(() -> counter.given(new Added(10)).when(new Add(1)).thenEvents(new Added(1)));

        assertThat(e).hasMessageStartingWith(
                "expected events [Added[amount=1]] but the command was rejected: too_big (10 + 1 passes 10)");
        // a value that is not Serializable is kept as its string only, which is what an IDE compares anyway
        assertThat(e.getActual().getStringRepresentation())
                .isEqualTo(new Rejection("too_big", "10 + 1 passes 10").toString());
    }

    @Test
    void expecting_events_when_decide_threw_fails_with_the_exception_as_cause() {
        AssertionFailedError e = failure(() -> counter.when(new Explode()).thenEvents(new Added(1)));

        assertThat(e).hasMessageStartingWith(
                "expected events [Added[amount=1]] but the command threw java.lang.IllegalStateException: boom")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void expecting_a_rejection_from_an_accepted_command_fails_with_its_events() {
        AssertionFailedError e = failure(() -> counter.when(new Add(1)).thenRejected("too_big"));

        assertThat(e).hasMessageStartingWith(
                "expected rejection 'too_big' but the command was accepted with events [Added[amount=1]]");
        assertThat(e.getExpected().getValue()).isEqualTo("too_big");
        assertThat(e.getActual().getValue()).isEqualTo(List.of(new Added(1)));
    }

    @Test
    void a_rejection_for_another_reason_fails_showing_both_reasons() {
        AssertionFailedError e = failure(() -> counter.given(new Added(10)).when(new Add(1)).thenRejected("too_small"));

        assertThat(e).hasMessageStartingWith(
                "expected rejection 'too_small' but got rejection 'too_big' (10 + 1 passes 10)");
        assertThat(e.getExpected().getValue()).isEqualTo("too_small");
        assertThat(e.getActual().getValue()).isEqualTo("too_big");
    }

    @Test
    void expecting_a_rejection_when_decide_threw_fails() {
        assertThat(failure(() -> counter.when(new Explode()).thenRejected("too_big")))
                .hasMessageStartingWith("expected rejection 'too_big' but the command threw");
    }

    @Test
    void expecting_nothing_fails_on_events_and_on_a_rejection() {
        assertThat(failure(() -> counter.when(new Add(2)).thenNothing()))
                .hasMessageStartingWith("expected no events but got [Added[amount=2]]");
        assertThat(failure(() -> counter.given(new Added(10)).when(new Add(2)).thenNothing()))
                .hasMessageStartingWith("expected no events but the command was rejected: too_big");
    }

    @Test
    void a_state_requirement_that_does_not_hold_fails_with_its_own_message() {
        Throwable e = catchThrowableOfType(AssertionError.class, () -> counter.when(new Add(2))
                .thenState(state -> assertThat(state.value()).isEqualTo(3)));

        assertThat(e).hasMessageContaining("3").hasMessageContaining("2");
    }

    @Test
    void expecting_a_state_when_decide_threw_fails() {
        assertThat(failure(() -> counter.when(new Explode()).thenState(state -> { })))
                .hasMessageStartingWith("expected a state but the command threw java.lang.IllegalStateException");
    }

    @Test
    void expecting_an_exception_from_a_decided_command_fails_with_the_decision() {
        assertThat(failure(() -> counter.when(new Add(1)).thenThrows(IllegalStateException.class)))
                .hasMessageStartingWith("expected java.lang.IllegalStateException to be thrown but the command was "
                        + "accepted with events [Added[amount=1]]");
        assertThat(failure(() -> counter.given(new Added(10)).when(new Add(1)).thenThrows(IllegalStateException.class)))
                .hasMessageStartingWith("expected java.lang.IllegalStateException to be thrown but the command was "
                        + "rejected: too_big");
        assertThat(failure(() -> counter.when(new Touch()).thenThrows(IllegalStateException.class)))
                .hasMessageContaining("accepted with no events");
    }

    @Test
    void another_exception_than_expected_fails_showing_both_types() {
        AssertionFailedError e = failure(() -> counter.when(new Explode()).thenThrows(InvalidInputException.class));

        assertThat(e).hasMessageStartingWith("expected io.cairn.domain.InvalidInputException to be thrown but "
                + "java.lang.IllegalStateException was: boom");
        assertThat(e.getExpected().getValue()).isEqualTo(InvalidInputException.class.getName());
        assertThat(e.getActual().getValue()).isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void invalid_input_naming_another_field_fails_showing_both_fields() {
        AssertionFailedError e = failure(() -> AggregateFixture.of(Counter.TYPE).when("add", "{\"amount\":0}")
                .thenInvalidInput("quantity"));

        assertThat(e).hasMessageStartingWith("expected invalid input naming 'quantity' but it named 'amount'");
        assertThat(e.getExpected().getValue()).isEqualTo("quantity");
        assertThat(e.getActual().getValue()).isEqualTo("amount");
    }

    @Test
    void expecting_invalid_input_from_a_valid_body_fails() {
        assertThat(failure(() -> AggregateFixture.of(Counter.TYPE).when("add", "{\"amount\":1}")
                .thenInvalidInput("amount")))
                .hasMessageStartingWith("expected io.cairn.domain.InvalidInputException to be thrown but the command "
                        + "was accepted with events [Added[amount=1]]")
                .hasMessageContaining("when: add {\"amount\":1}");
    }

    // misuse

    @Test
    void json_commands_need_a_registered_aggregate_and_a_known_name() {
        assertThatThrownBy(() -> counter.when("add", "{}")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AggregateFixture.of(Counter.TYPE).when("subtract", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subtract").hasMessageContaining("add");
    }

    @Test
    void nulls_are_refused_naming_the_argument() {
        assertThatThrownBy(() -> counter.when((Counter.Command) null)).hasMessageContaining("command");
        assertThatThrownBy(() -> counter.given((Counter.Event) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> counter.when(new Add(1)).thenRejected(null)).hasMessageContaining("reason");
        assertThatThrownBy(() -> AggregateFixture.of((Counter) null)).hasMessageContaining("aggregate");
    }

    private static AssertionFailedError failure(Executable assertion) {
        AssertionFailedError e = catchThrowableOfType(AssertionFailedError.class, assertion::execute);
        assertThat(e).as("the assertion should have failed").isNotNull();
        return e;
    }
}
