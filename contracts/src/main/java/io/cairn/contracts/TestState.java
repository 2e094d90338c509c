package io.cairn.contracts;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.StateCodec;
import io.cairn.json.JacksonStateCodec;

/**
 * The state the snapshot and view suites store. Adapters that keep states outside the heap encode it with
 * {@link #CODEC}.
 *
 * @param name    any text
 * @param counter any number
 */
public record TestState(String name, long counter) {

    /** JSON, schema version 1. */
    public static final StateCodec<TestState> CODEC = new JacksonStateCodec<>(TestState.class, 1);

    public TestState {
        requireNonNull(name, "name must not be null");
    }

    /** The same JSON as {@link #CODEC} under another schema version: a state shape that changed. */
    public static StateCodec<TestState> codecOfVersion(int schemaVersion) {
        return new JacksonStateCodec<>(TestState.class, schemaVersion);
    }
}
