package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One event as a document projection sees it: the event, where it was stored, and the state of its aggregate just
 * before it. The state lets a projection find what the event alone does not carry (the warehouse a product is
 * stored in, the owner of an account) without reading anything: Cairn keeps it per stream for the projection,
 * folded with the aggregate's own {@code evolve}.
 *
 * @param stream      the stream the event belongs to
 * @param revision    the revision of the event's commit
 * @param eventNumber the event's number in its stream (1 for the first)
 * @param event       the decoded event
 * @param stateBefore the aggregate's state before this event (its initial state for the stream's first event)
 * @param recordedAt  when the commit was stored
 * @param <E>         the event type
 * @param <S>         the aggregate's state type
 */
public record ProjectedEvent<E, S>(StreamId stream, long revision, long eventNumber, E event, S stateBefore,
                                   Instant recordedAt) {

    public ProjectedEvent {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(event, "event must not be null");
        requireNonNull(stateBefore, "stateBefore must not be null");
        requireNonNull(recordedAt, "recordedAt must not be null");
    }

    /** The id of the aggregate within its category: the stream's {@link StreamId#idWithinCategory()}. */
    public String aggregateId() {
        return stream.idWithinCategory();
    }
}
