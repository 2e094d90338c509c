package io.cairn.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StateCodec;

/** A {@link StateCodec} for a record state type, as JSON. */
public final class JacksonStateCodec<S> implements StateCodec<S> {

    private final ObjectMapper mapper = Json.strictMapper();
    private final Class<S> type;
    private final int schemaVersion;

    public JacksonStateCodec(Class<S> type, int schemaVersion) {
        this.type = requireNonNull(type, "type must not be null");
        this.schemaVersion = schemaVersion;
    }

    @Override
    public String encode(S state) {
        try {
            return mapper.writeValueAsString(requireNonNull(state, "state must not be null"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + state, e);
        }
    }

    @Override
    public S decode(String json) {
        try {
            return mapper.readValue(requireNonNull(json, "json must not be null"), type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("state", "not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }
}
