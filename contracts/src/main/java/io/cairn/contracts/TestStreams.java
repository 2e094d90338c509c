package io.cairn.contracts;

import io.cairn.domain.StreamId;
import java.util.UUID;

/** Fresh stream ids, so that no two tests (or two runs against a shared backend) ever meet on a stream. */
public final class TestStreams {

    private TestStreams() {
    }

    /** A stream id no test has used before: {@code test-<uuid>}. */
    public static StreamId aNewStream() {
        return StreamId.of("test", UUID.randomUUID().toString());
    }
}
