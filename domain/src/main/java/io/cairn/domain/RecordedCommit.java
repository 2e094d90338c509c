package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A commit as stored.
 *
 * @param revision         the stream's revision this commit created (1 for the first commit)
 * @param firstEventNumber event number of the commit's first event
 * @param position         store-wide order, where the store has one (PostgreSQL, in-memory); empty on DynamoDB
 */
public record RecordedCommit(
        StreamId stream,
        long revision,
        UUID commitId,
        long firstEventNumber,
        List<EventData> events,
        Map<String, String> metadata,
        Instant recordedAt,
        OptionalLong position) {

    public RecordedCommit {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(commitId, "commitId must not be null");
        requireNonNull(events, "events must not be null");
        requireNonNull(metadata, "metadata must not be null");
        requireNonNull(recordedAt, "recordedAt must not be null");
        requireNonNull(position, "position must not be null");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
        if (firstEventNumber < 1) {
            throw new IllegalArgumentException("firstEventNumber must be >= 1, was " + firstEventNumber);
        }
        events = List.copyOf(events);
        metadata = Map.copyOf(metadata);
    }

    /** The stored form of {@code commit} at {@code revision}. */
    public static RecordedCommit of(StreamId stream, long revision, long firstEventNumber, Commit commit,
                                    Instant recordedAt, OptionalLong position) {
        return new RecordedCommit(stream, revision, commit.commitId(), firstEventNumber, commit.events(),
                commit.metadata(), recordedAt, position);
    }

    /** Number of the commit's last event; the next commit starts at this + 1. */
    public long lastEventNumber() {
        return firstEventNumber + events.size() - 1;
    }

    public List<RecordedEvent> recordedEvents() {
        List<RecordedEvent> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            out.add(new RecordedEvent(stream, revision, firstEventNumber + i, events.get(i), recordedAt));
        }
        return out;
    }
}
