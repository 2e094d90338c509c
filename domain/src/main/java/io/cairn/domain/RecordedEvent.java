package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An event as read back from a stream.
 *
 * @param eventNumber 1-based position of the event within its stream (its commit's first number + index)
 * @param recordedAt  when its commit was stored
 */
public record RecordedEvent(StreamId stream, long revision, long eventNumber, EventData event, Instant recordedAt) {

    public RecordedEvent {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(event, "event must not be null");
        requireNonNull(recordedAt, "recordedAt must not be null");
    }
}
