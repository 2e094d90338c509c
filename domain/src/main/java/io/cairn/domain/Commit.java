package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The atomic unit of an append: 1..N events that land together or not at all.
 *
 * @param commitId the idempotency key: appending the same commitId again stores nothing twice
 * @param events   at least one event, in order
 * @param metadata free-form string pairs about the commit as a whole (who, why, correlation)
 */
public record Commit(UUID commitId, List<EventData> events, Map<String, String> metadata) {

    public Commit {
        requireNonNull(commitId, "commitId must not be null");
        requireNonNull(events, "events must not be null");
        requireNonNull(metadata, "metadata must not be null");
        InvalidInputException.check(!events.isEmpty(), "events", "a commit needs at least one event");
        events = List.copyOf(events);
        metadata = Map.copyOf(metadata);
    }

    public static Commit of(UUID commitId, List<EventData> events) {
        return new Commit(commitId, events, Map.of());
    }

    public static Commit of(UUID commitId, EventData... events) {
        return new Commit(commitId, List.of(events), Map.of());
    }

    /** Approximate stored size in bytes, before compression. */
    public long approximateSize() {
        long size = 36;
        for (EventData e : events) {
            size += e.approximateSize();
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            size += EventData.utf8Length(m.getKey()) + EventData.utf8Length(m.getValue());
        }
        return size;
    }
}
