package io.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.InvalidInputException;
import io.cairn.domain.MalformedJsonException;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

    record Reserve(String order, long quantity) {
        Reserve {
            InvalidInputException.check(order != null && !order.isBlank(), "order", "order must not be blank");
            InvalidInputException.check(quantity > 0, "quantity", "quantity must be > 0, was " + quantity);
        }
    }

    private final CommandReader<Reserve> reader = CommandReader.json(Reserve.class);

    @Test
    void a_json_reader_names_the_record_it_reads_and_a_hand_written_one_none() {
        assertThat(reader.bodyType()).contains(Reserve.class);
        assertThat(CommandReader.empty("x").bodyType()).contains(CommandReader.NoFields.class);
        CommandReader<String> byHand = json -> json;
        assertThat(byHand.bodyType()).isEmpty();
    }

    @Test
    void a_body_of_the_command_record_is_read() {
        assertThat(reader.read("{\"order\":\"o-1\",\"quantity\":2}")).isEqualTo(new Reserve("o-1", 2));
    }

    @Test
    void a_value_the_record_refuses_names_its_field() {
        assertField(() -> reader.read("{\"order\":\"o-1\",\"quantity\":0}"), "quantity");
        assertField(() -> reader.read("{\"quantity\":1}"), "order");
    }

    @Test
    void a_missing_primitive_names_its_field() {
        assertField(() -> reader.read("{\"order\":\"o-1\"}"), "quantity");
        assertField(() -> reader.read("{}"), "quantity");
    }

    @Test
    void wrong_types_unknown_fields_and_floats_name_the_field() {
        assertField(() -> reader.read("{\"order\":\"o-1\",\"quantity\":\"2\"}"), "quantity");
        assertField(() -> reader.read("{\"order\":\"o-1\",\"quantity\":2.5}"), "quantity");
        assertField(() -> reader.read("{\"order\":\"o-1\",\"quantity\":2,\"note\":1}"), "note");
        assertField(() -> reader.read("{\"order\":7,\"quantity\":2}"), "order");
    }

    @Test
    void text_that_is_not_json_is_malformed() {
        assertThatThrownBy(() -> reader.read("{\"order\":")).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> reader.read("{\"order\":\"a\",\"order\":\"b\",\"quantity\":1}"))
                .isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> reader.read("{\"order\":\"a\",\"quantity\":1} {}"))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void null_and_non_objects_are_refused_as_the_body() {
        assertField(() -> reader.read("null"), "body");
        assertField(() -> reader.read("[1]"), "body");
    }

    @Test
    void an_empty_command_takes_an_empty_body_or_an_empty_object_only() {
        CommandReader<String> close = CommandReader.empty("close");
        assertThat(close.read("")).isEqualTo("close");
        assertThat(close.read("{}")).isEqualTo("close");
        assertField(() -> close.read("{\"x\":1}"), "x");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }
}
