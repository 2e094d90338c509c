package io.cairn.domain;

import java.util.List;

/**
 * What a document projection does with one event: the changes it makes to its documents, in order. A pure function
 * of the event (and the state before it): Cairn calls it on its own threads, may call it again for the same event
 * when it retries a batch or rebuilds, and applies what it returns exactly once per event.
 *
 * @param <E> the event type
 * @param <S> the aggregate's state type
 * @param <D> the document type
 */
@FunctionalInterface
public interface DocumentHandler<E, S, D> {

    /**
     * @param event never null
     * @return the changes, never null, empty when the event changes no document
     * @throws RuntimeException when the projection cannot handle the event: Cairn retries it with backoff, then
     *                          stops the projection at the event's commit and shows the error; it never skips it
     */
    List<DocumentChange<D>> changes(ProjectedEvent<E, S> event);
}
