package io.cairn.inventory;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An order's lines across products: the {@code orders} projection's document, keyed by order id.
 *
 * @param order the order's id
 * @param lines by product id (sku): what the order holds of it; unmodifiable and sorted
 */
public record OrderDocument(String order, SortedMap<String, Line> lines) {

    /** A product's line of an order: {@code quantity} units, {@code reserved} or {@code shipped}. */
    public record Line(long quantity, String status) {
        public static final String RESERVED = "reserved";
        public static final String SHIPPED = "shipped";
    }

    public OrderDocument {
        requireNonNull(order, "order must not be null");
        lines = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(lines, "lines must not be null")));
    }

    /** This order with the line of {@code sku} replaced, or removed when {@code line} is null. */
    OrderDocument withLine(String sku, Line line) {
        TreeMap<String, Line> changed = new TreeMap<>(lines);
        if (line == null) {
            changed.remove(sku);
        } else {
            changed.put(sku, line);
        }
        return new OrderDocument(order, changed);
    }
}
