package io.cairn.domain;

import java.util.Set;

/**
 * Turns the events of one aggregate into stored {@link EventData} and back. Implementations are thread-safe.
 *
 * @param <E> the aggregate's event type
 */
public interface EventCodec<E> {

    /** Never null; throws {@link IllegalArgumentException} for an event it does not know. */
    EventData encode(E event);

    /**
     * @throws UnknownEventTypeException when {@code type} is none of {@link #types()}
     * @throws InvalidInputException     when the data does not fit the type
     */
    E decode(EventData event);

    /** The type names this codec reads and writes. */
    Set<String> types();

    /** An event type the codec does not know. */
    final class UnknownEventTypeException extends InvalidInputException {
        public UnknownEventTypeException(String type, Set<String> known) {
            super("type", "unknown event type '" + type + "'; known types: " + known);
        }
    }
}
