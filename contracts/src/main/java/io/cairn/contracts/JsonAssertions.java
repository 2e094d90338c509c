package io.cairn.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.domain.EventData;
import java.util.List;

/**
 * Compares JSON by value, not by text: a store may normalise whitespace and key order (PostgreSQL's {@code jsonb}
 * does), and that is no change to the event.
 */
public final class JsonAssertions {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonAssertions() {
    }

    /** Fails unless both texts are the same JSON value. */
    public static void assertSameJson(String actual, String expected) {
        assertThat(tree(actual)).as("JSON %s", actual).isEqualTo(tree(expected));
    }

    /** Fails unless both lists hold the same events in the same order: equal types, the same JSON values. */
    public static void assertSameEvents(List<EventData> actual, List<EventData> expected) {
        assertThat(actual).as("events").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            EventData a = actual.get(i);
            EventData e = expected.get(i);
            assertThat(a.type()).as("type of event %d", i).isEqualTo(e.type());
            assertThat(a.version()).as("version of event %d", i).isEqualTo(e.version());
            assertThat(tree(a.data())).as("data of event %d: %s", i, a.data()).isEqualTo(tree(e.data()));
            assertThat(tree(a.metadata())).as("metadata of event %d: %s", i, a.metadata()).isEqualTo(tree(e.metadata()));
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
