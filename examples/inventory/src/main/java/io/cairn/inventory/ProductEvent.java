package io.cairn.inventory;

/**
 * Everything that can happen to a product. The record names are the stored event types; each event carries the
 * quantities it moves, so a projection needs no other event to read it.
 */
public sealed interface ProductEvent {

    record ProductRegistered(String name, String warehouse) implements ProductEvent {
    }

    record StockReceived(long quantity) implements ProductEvent {
    }

    record StockReserved(String order, long quantity) implements ProductEvent {
    }

    /** The reservation of {@code order}, of {@code quantity} units, was dropped. */
    record ReservationReleased(String order, long quantity) implements ProductEvent {
    }

    /** The {@code quantity} units reserved by {@code order} left: on hand and reserved both shrink. */
    record ReservationShipped(String order, long quantity) implements ProductEvent {
    }
}
