package io.cairn.inventory;

import static java.util.Objects.requireNonNull;

/**
 * A warehouse's totals over the products registered in it: the {@code warehouses} projection's document.
 *
 * @param warehouse the warehouse
 * @param products  how many products are registered in it
 * @param onHand    the sum of their units on hand
 * @param reserved  the sum of their units reserved
 */
public record WarehouseDocument(String warehouse, long products, long onHand, long reserved) {

    public WarehouseDocument {
        requireNonNull(warehouse, "warehouse must not be null");
    }

    WarehouseDocument plus(long moreProducts, long moreOnHand, long moreReserved) {
        return new WarehouseDocument(warehouse, products + moreProducts, onHand + moreOnHand, reserved + moreReserved);
    }
}
