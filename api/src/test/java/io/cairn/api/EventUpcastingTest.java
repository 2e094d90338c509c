package io.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import java.math.BigDecimal;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The upcaster chain of an aggregate's event types, and each registration it refuses. */
class EventUpcastingTest {

    sealed interface NoteEvent permits Written, Tagged {
    }

    /** Version 3: v1 was {@code Jotted {"text"}}, v2 {@code Written {"text"}}, v3 adds the price. */
    record Written(String body, BigDecimal price) implements NoteEvent {
    }

    record Tagged(String tag) implements NoteEvent {
    }

    record Note(String body) {
    }

    static final class Notes implements Aggregate<String, NoteEvent, Note> {
        @Override
        public String category() {
            return "note";
        }

        @Override
        public Note initialState() {
            return new Note("");
        }

        @Override
        public Decision<NoteEvent> decide(String command, Note state) {
            return Decision.accept(new Tagged(command));
        }

        @Override
        public Note evolve(Note state, NoteEvent event) {
            return event instanceof Written written ? new Note(written.body()) : state;
        }
    }

    private static AggregateType.Builder<String, NoteEvent, Note> notes() {
        return AggregateType.builder(new Notes()).collection("notes").command("tag", CommandReader.empty("t"))
                .events(NoteEvent.class).state(Note.class, 1);
    }

    private static AggregateType<String, NoteEvent, Note> chained() {
        return notes()
                .eventVersion("Written", 3)
                .upcast("Jotted", 1, "Written", data -> data)
                .upcast("Written", 2, data -> {
                    data.put("body", data.remove("text"));
                    data.put("price", new BigDecimal("0.10"));
                    return data;
                })
                .build();
    }

    @Test
    void an_event_of_the_first_version_runs_the_whole_chain_renamed_and_decodes_as_the_current_one() {
        EventCodec<NoteEvent> codec = chained().events();
        EventData stored = new EventData("Jotted", "{\"text\":\"hi\"}", "{\"by\":\"ada\"}", 1);

        EventData current = codec.upcast(stored);

        assertThat(current.type()).isEqualTo("Written");
        assertThat(current.version()).isEqualTo(3);
        assertThat(current.data()).isEqualTo("{\"body\":\"hi\",\"price\":0.10}");
        assertThat(current.metadata()).isEqualTo("{\"by\":\"ada\"}");
        assertThat(codec.decode(stored)).isEqualTo(new Written("hi", new BigDecimal("0.10")));
    }

    @Test
    void an_event_of_a_middle_version_runs_the_rest_of_the_chain() {
        assertThat(chained().events().decode(new EventData("Written", "{\"text\":\"yo\"}", "{}", 2)))
                .isEqualTo(new Written("yo", new BigDecimal("0.10")));
    }

    @Test
    void a_current_event_is_read_as_it_is_and_new_events_are_written_with_the_current_version() {
        EventCodec<NoteEvent> codec = chained().events();
        EventData current = new EventData("Written", "{\"body\":\"x\",\"price\":1.5}", "{}", 3);

        assertThat(codec.upcast(current)).isSameAs(current);
        assertThat(codec.encode(new Written("x", new BigDecimal("1.5"))).version()).isEqualTo(3);
        assertThat(codec.encode(new Tagged("t")).version()).isEqualTo(1);
        assertThat(chained().eventVersion("Written")).isEqualTo(3);
        assertThat(chained().eventVersion("Tagged")).isEqualTo(1);
    }

    @Test
    void numbers_keep_their_exact_value_through_an_upcaster() {
        AggregateType<String, NoteEvent, Note> type = notes().eventVersion("Written", 2)
                .upcast("Written", 1, data -> {
                    data.put("price", data.remove("cost"));
                    return data;
                }).build();

        EventData current = type.events().upcast(new EventData("Written",
                "{\"body\":\"b\",\"cost\":12345678901234567890.0000000001}", "{}", 1));

        assertThat(current.data()).isEqualTo("{\"body\":\"b\",\"price\":12345678901234567890.0000000001}");
    }

    @Test
    void a_version_newer_than_the_registered_one_older_without_a_path_or_a_failing_upcaster_is_refused_by_version() {
        EventCodec<NoteEvent> codec = chained().events();

        assertRefused(() -> codec.decode(new EventData("Written", "{}", "{}", 4)), "Written version 4 is newer");
        assertRefused(() -> codec.decode(new EventData("Tagged", "{\"tag\":\"t\"}", "{}", 2)), "Tagged version 2");
        assertRefused(() -> codec.decode(new EventData("Jotted", "{\"text\":\"a\"}", "{}", 2)),
                "no upcaster leads from Jotted version 2");
        assertRefused(() -> codec.decode(new EventData("Written", "[1]", "{}", 2)), "not a JSON object");
        AggregateType<String, NoteEvent, Note> failing = notes().eventVersion("Written", 2)
                .upcast("Written", 1, data -> {
                    throw new IllegalStateException("no text to move");
                }).build();
        assertRefused(() -> failing.events().decode(new EventData("Written", "{}", "{}", 1)),
                "the upcaster of Written from version 1 failed: no text to move");
        AggregateType<String, NoteEvent, Note> returningNull = notes().eventVersion("Written", 2)
                .upcast("Written", 1, data -> null).build();
        assertRefused(() -> returningNull.events().decode(new EventData("Written", "{}", "{}", 1)), "null");
    }

    @Test
    void upcast_data_that_does_not_fit_the_current_type_is_refused_by_the_codec() {
        AggregateType<String, NoteEvent, Note> forgetful = notes().eventVersion("Written", 2)
                .upcast("Written", 1, data -> data).build(); // forgets to rename text, which Written has not

        assertThatThrownBy(() -> forgetful.events().decode(new EventData("Written", "{\"text\":\"a\"}", "{}", 1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Written");
    }

    @Test
    void a_chain_with_a_hole_is_refused_naming_the_aggregate_the_type_and_the_missing_version() {
        assertBuildRefused(b -> b.eventVersion("Written", 3).upcast("Written", 1, data -> data),
                "aggregate note", "Written is at version 3 but has no upcaster from version 2");
        assertBuildRefused(b -> b.eventVersion("Written", 2), "no upcaster from version 1");
        assertBuildRefused(b -> b.eventVersion("Written", 3).upcast("Jotted", 1, "Written", data -> data),
                "no upcaster from version 2");
    }

    @Test
    void an_upcaster_for_a_version_at_or_above_the_current_one_is_refused() {
        assertBuildRefused(b -> b.upcast("Tagged", 1, data -> data), "aggregate note",
                "the upcaster of Tagged from version 1", "not older than Tagged's current version 1");
        assertBuildRefused(b -> b.eventVersion("Written", 2).upcast("Written", 1, data -> data)
                .upcast("Written", 2, data -> data), "the upcaster of Written from version 2");
    }

    @Test
    void an_upcaster_or_a_version_for_an_unknown_type_is_refused() {
        assertBuildRefused(b -> b.upcast("Writen", 1, data -> data), "aggregate note",
                "upcaster for event type Writen, which its event codec does not know");
        assertBuildRefused(b -> b.eventVersion("Writen", 2), "aggregate note",
                "gives a version to event type Writen, which its event codec does not know");
        assertBuildRefused(b -> b.upcast("Jotted", 1, "Scribbled", data -> data), "leads to Scribbled version 2",
                "not an event type of its codec");
        assertBuildRefused(b -> b.upcast("Jotted", 1, "Written", data -> data), "leads to Written version 2, "
                + "newer than its current version 1");
    }

    @Test
    void bad_arguments_are_refused_at_once() {
        assertThatThrownBy(() -> notes().eventVersion("Written", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> notes().eventVersion("Written", 2).eventVersion("Written", 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> notes().upcast("Written", 0, data -> data))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> notes().upcast("Written", 1, data -> data).upcast("Written", 1, data -> data))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two upcasters from version 1");
        assertThatThrownBy(() -> notes().upcast("bad type!", 1, data -> data))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad type!");
        assertThatThrownBy(() -> notes().upcast("Written", 1, null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
    }

    private static void assertBuildRefused(UnaryOperator<AggregateType.Builder<String, NoteEvent, Note>> registration,
                                           String... messages) {
        var thrown = assertThatThrownBy(() -> registration.apply(notes()).build())
                .isInstanceOf(IllegalStateException.class);
        for (String message : messages) {
            thrown.hasMessageContaining(message);
        }
    }
}
