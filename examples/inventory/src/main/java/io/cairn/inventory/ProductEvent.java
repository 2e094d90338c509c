package io.cairn.inventory;

/**
 * Everything that can happen to a product. The record names are the stored event types; each event carries the
 * quantities it moves, so a projection needs no other event to read it.
 */
public sealed interface ProductEvent {

    /** The product entered the catalogue as {@code name}, stored in {@code warehouse}. */
    record ProductRegistered(String name, String warehouse) implements ProductEvent {
    }

    /** {@code quantity} units arrived: on hand grows. */
    record StockReceived(long quantity) implements ProductEvent {
    }

    /** {@code order} holds {@code quantity} of the available units. */
    record StockReserved(String order, long quantity) implements ProductEvent {
    }

    /** The reservation of {@code order}, of {@code quantity} units, was dropped. */
    record ReservationReleased(String order, long quantity) implements ProductEvent {
    }

    /** The {@code quantity} units reserved by {@code order} left: on hand and reserved both shrink. */
    record ReservationShipped(String order, long quantity) implements ProductEvent {
    }
}
