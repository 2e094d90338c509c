package io.cairn.inventory;

import static io.cairn.domain.InvalidInputException.check;

/**
 * What a client can ask of a product. Each command validates its own fields, naming the field it refuses with an
 * {@link io.cairn.domain.InvalidInputException} (answered 400); the JSON bodies have exactly these fields.
 */
public sealed interface ProductCommand {

    /** {@code {"name","warehouse"}}: the product enters the catalogue, stored in {@code warehouse}. */
    record Register(String name, String warehouse) implements ProductCommand {
        public Register {
            check(name != null && !name.isBlank(), "name", "name must not be blank");
            check(warehouse != null && !warehouse.isBlank(), "warehouse", "warehouse must not be blank");
        }
    }

    /** {@code {"quantity"}}: units arrive; on hand grows by {@code quantity > 0}. */
    record Receive(long quantity) implements ProductCommand {
        public Receive {
            check(quantity > 0, "quantity", "quantity must be > 0, was " + quantity);
        }
    }

    /** {@code {"order","quantity"}}: {@code order} holds {@code quantity > 0} of the available units. */
    record Reserve(String order, long quantity) implements ProductCommand {
        public Reserve {
            checkOrder(order);
            check(quantity > 0, "quantity", "quantity must be > 0, was " + quantity);
        }
    }

    /** {@code {"order"}}: the order's reservation is dropped; its units are available again. */
    record Release(String order) implements ProductCommand {
        public Release {
            checkOrder(order);
        }
    }

    /** {@code {"order"}}: the order's reserved units leave the warehouse. */
    record Ship(String order) implements ProductCommand {
        public Ship {
            checkOrder(order);
        }
    }

    private static void checkOrder(String order) {
        check(order != null && !order.isBlank(), "order", "order must not be blank");
    }
}
