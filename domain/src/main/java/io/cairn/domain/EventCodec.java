package io.cairn.domain;

import java.util.Set;

/**
 * Turns the events of one aggregate into stored {@link EventData} and back. Implementations are thread-safe.
 *
 * @param <E> the aggregate's event type
 */
public interface EventCodec<E> {

    /**
     * The event as it is stored, with the current version of its type. Never null.
     *
     * @throws IllegalArgumentException for an event it does not know
     */
    EventData encode(E event);

    /**
     * The domain event a stored event stands for: the event is first {@link #upcast upcast} to the current version
     * of its type.
     *
     * @throws UnknownEventTypeException when {@code type} is none of {@link #types()} (nor an older name of one)
     * @throws InvalidInputException     when the data does not fit the type, or the event's version cannot be
     *                                   brought to the current one ({@code field} {@code version})
     */
    E decode(EventData event);

    /**
     * A stored event as the current version of its type: the data (and the type, for a renamed one) an older
     * version's event would have if it were written today, with the current version; what is already current
     * unchanged. The default, for a codec whose types have one version each, returns {@code stored} as it is.
     * Pure and thread-safe: Cairn calls it on every read of an aggregate's streams, {@code GET /streams} included.
     *
     * @param stored not null
     * @return never null
     * @throws InvalidInputException when the event's version is newer than the codec knows, or older and no
     *                               upcaster leads from it to the current one ({@code field} {@code version}), or an
     *                               upcaster failed on its data
     */
    default EventData upcast(EventData stored) {
        return stored;
    }

    /** The type names this codec reads and writes. */
    Set<String> types();

    /** An event type the codec does not know. */
    final class UnknownEventTypeException extends InvalidInputException {
        public UnknownEventTypeException(String type, Set<String> known) {
            super("type", "unknown event type '" + type + "'; known types: " + known);
        }
    }
}
