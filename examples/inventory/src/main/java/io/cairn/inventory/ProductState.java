package io.cairn.inventory;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A product as its events leave it. Stored (views, snapshots) as JSON, schema version 1.
 *
 * @param name         null until registered
 * @param warehouse    null until registered
 * @param onHand       units in the warehouse, reserved or not; {@code >= reserved}
 * @param reserved     units held by reservations: the sum of {@code reservations}
 * @param reservations units held, by order; unmodifiable and sorted by order, so its JSON is stable
 */
public record ProductState(String name, String warehouse, long onHand, long reserved,
                           SortedMap<String, Long> reservations) {

    /** A product never registered. */
    public static final ProductState NONE = new ProductState(null, null, 0, 0, new TreeMap<>());

    public ProductState {
        reservations = Collections.unmodifiableSortedMap(
                new TreeMap<>(requireNonNull(reservations, "reservations must not be null")));
    }

    /** Whether the product was registered. */
    public boolean registered() {
        return name != null;
    }

    /** Units that can still be reserved: on hand minus reserved. */
    public long available() {
        return onHand - reserved;
    }

    ProductState withStock(long newOnHand, long newReserved, SortedMap<String, Long> newReservations) {
        return new ProductState(name, warehouse, newOnHand, newReserved, newReservations);
    }
}
