package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Aggregate;
import io.cairn.domain.DocumentHandler;
import io.cairn.domain.EventCodec;

/**
 * One aggregate a document projection follows: whose commits it applies, how their events are read and their states
 * folded, and what its handler makes of each event.
 *
 * @param aggregate the aggregate: its category names the streams followed, its {@code evolve} folds their states
 * @param events    how its events are stored
 * @param handler   the document changes of each of its events
 */
public record DocumentFollow<E, S, D>(Aggregate<?, E, S> aggregate, EventCodec<E> events,
                                      DocumentHandler<E, S, D> handler) {

    public DocumentFollow {
        requireNonNull(aggregate, "aggregate must not be null");
        requireNonNull(events, "events must not be null");
        requireNonNull(handler, "handler must not be null");
    }
}
