package io.cairn.domain;

import java.util.List;

/**
 * An event-sourced aggregate as two pure functions: {@code decide} turns a command and the current state into
 * events or a rejection; {@code evolve} folds one event into the state. Implementations hold no mutable state and
 * are thread-safe; {@code evolve} is total (it never throws for an event of its own type), so any stored history
 * can be replayed.
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type
 */
public interface Aggregate<C, E, S> {

    /** The category of this aggregate's streams: its stream ids are {@code category + "-" + id}. */
    String category();

    /** The state before any event. */
    S initialState();

    Decision<E> decide(C command, S state);

    S evolve(S state, E event);

    default S fold(S state, List<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    default StreamId streamOf(String id) {
        return StreamId.of(category(), id);
    }
}
