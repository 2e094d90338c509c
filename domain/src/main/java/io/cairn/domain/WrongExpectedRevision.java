package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * An append's expected revision did not match the stream: another writer got there first, or the writer's
 * picture of the stream is stale. Nothing was stored. Transient for a command handler (catch up, decide again),
 * a conflict for a raw client.
 */
public final class WrongExpectedRevision extends RuntimeException {

    private final StreamId stream;
    private final ExpectedRevision expected;
    private final OptionalLong actual;

    public WrongExpectedRevision(StreamId stream, ExpectedRevision expected, OptionalLong actual) {
        super("stream " + stream + ": expected revision " + expected + ", actual "
                + (actual.isPresent() ? Long.toString(actual.getAsLong()) : "unknown (higher)"));
        this.stream = requireNonNull(stream, "stream must not be null");
        this.expected = requireNonNull(expected, "expected must not be null");
        this.actual = requireNonNull(actual, "actual must not be null");
    }

    public StreamId stream() {
        return stream;
    }

    public ExpectedRevision expected() {
        return expected;
    }

    /** The stream's actual revision where the store can tell it; empty when it only knows it is different. */
    public OptionalLong actual() {
        return actual;
    }
}
