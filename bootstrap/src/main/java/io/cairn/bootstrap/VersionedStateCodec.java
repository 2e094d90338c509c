package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.domain.StateCodec;
import io.cairn.json.Json;

/**
 * How a document projection stores the aggregate states it keeps per stream: {@code {"v": <the aggregate's state
 * schema version>, "state": <the state>}}, under a schema version of its own that never changes. An aggregate view
 * of another schema version reads as absent and is rebuilt from the events; a document projection's state must not,
 * for "absent" would make it apply the stream's events to its documents a second time. So a state of another
 * version is read as an error naming both versions, and the projection stops at the commit that needed it, until
 * it is rebuilt. Thread-safe.
 */
final class VersionedStateCodec<S> implements StateCodec<S> {

    private static final ObjectMapper JSON = Json.strictMapper();

    private final StateCodec<S> aggregate;
    private final String projection;

    VersionedStateCodec(StateCodec<S> aggregate, String projection) {
        this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
        this.projection = requireNonNull(projection, "projection must not be null");
    }

    @Override
    public String encode(S state) {
        try {
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.put("v", aggregate.schemaVersion());
            wrapped.set("state", JSON.readTree(aggregate.encode(state)));
            return JSON.writeValueAsString(wrapped);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the state codec wrote JSON it cannot read back", e);
        }
    }

    @Override
    public S decode(String json) {
        JsonNode wrapped;
        try {
            wrapped = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("projection " + projection + " stored a state that is not JSON", e);
        }
        int version = wrapped.path("v").asInt(-1);
        if (version != aggregate.schemaVersion()) {
            throw new IllegalStateException("projection " + projection + " kept this stream's state under state "
                    + "schema version " + version + ", and the aggregate's state is now version "
                    + aggregate.schemaVersion() + "; the projection cannot go on without applying the stream's events "
                    + "a second time, so it stops here until it is rebuilt");
        }
        return aggregate.decode(wrapped.path("state").toString());
    }

    @Override
    public int schemaVersion() {
        return 1;
    }
}
