package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.application.projection.Tagged;
import io.cairn.domain.StateCodec;
import io.cairn.json.Json;
import java.util.Map;

/**
 * How a document projection stores the aggregate states it keeps per stream, whichever of the aggregates it follows
 * each belongs to: {@code {"category": <the stream's category>, "v": <that aggregate's state schema version>,
 * "state": <the state>}}, under a schema version of its own that never changes. An aggregate view of another schema
 * version reads as absent and is rebuilt from the events; a document projection's state must not, for "absent"
 * would make it apply the stream's events to its documents a second time. So a state of another version is read
 * as an error naming both versions, and the projection stops at the commit that needed it, until it is rebuilt.
 * Thread-safe.
 */
final class TaggedStateCodec implements StateCodec<Tagged> {

    private static final ObjectMapper JSON = Json.strictMapper();

    private final Map<String, StateCodec<?>> byCategory;
    private final String projection;

    /**
     * @param byCategory the state codec of each followed aggregate, by its category
     * @param projection the projection's name, for errors
     */
    TaggedStateCodec(Map<String, StateCodec<?>> byCategory, String projection) {
        this.byCategory = Map.copyOf(requireNonNull(byCategory, "byCategory must not be null"));
        this.projection = requireNonNull(projection, "projection must not be null");
    }

    @Override
    public String encode(Tagged state) {
        StateCodec<Object> codec = codec(state.category());
        try {
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.put("category", state.category());
            wrapped.put("v", codec.schemaVersion());
            wrapped.set("state", JSON.readTree(codec.encode(state.state())));
            return JSON.writeValueAsString(wrapped);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the state codec of " + state.category()
                    + " wrote JSON it cannot read back", e);
        }
    }

    @Override
    public Tagged decode(String json) {
        JsonNode wrapped;
        try {
            wrapped = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("projection " + projection + " stored a state that is not JSON", e);
        }
        String category = wrapped.path("category").asText();
        StateCodec<Object> codec = codec(category);
        int version = wrapped.path("v").asInt(-1);
        if (version != codec.schemaVersion()) {
            throw new IllegalStateException("projection " + projection + " kept this " + category + " stream's state "
                    + "under state schema version " + version + ", and the aggregate's state is now version "
                    + codec.schemaVersion() + "; the projection cannot go on without applying the stream's events "
                    + "a second time, so it stops here until it is rebuilt");
        }
        return new Tagged(category, codec.decode(wrapped.path("state").toString()));
    }

    @Override
    public int schemaVersion() {
        return 1;
    }

    @SuppressWarnings("unchecked")
    private StateCodec<Object> codec(String category) {
        StateCodec<?> codec = byCategory.get(category);
        if (codec == null) {
            throw new IllegalStateException("projection " + projection + " follows " + byCategory.keySet()
                    + ", not category '" + category + "'");
        }
        return (StateCodec<Object>) codec;
    }
}
