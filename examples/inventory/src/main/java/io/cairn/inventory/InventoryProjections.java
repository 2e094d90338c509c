package io.cairn.inventory;

import io.cairn.api.DocumentProjection;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.ProjectedEvent;
import io.cairn.inventory.ProductEvent.ProductRegistered;
import io.cairn.inventory.ProductEvent.ReservationReleased;
import io.cairn.inventory.ProductEvent.ReservationShipped;
import io.cairn.inventory.ProductEvent.StockReceived;
import io.cairn.inventory.ProductEvent.StockReserved;
import java.util.List;
import java.util.TreeMap;
import java.util.Optional;

/**
 * The inventory's read models across products. Every change of one product to a document touches only that
 * product's part of it (its line of an order) or adds to sums (a warehouse's totals), so the changes of different
 * products commute: the documents come out the same on DynamoDB, where products' events interleave in any order,
 * as on PostgreSQL.
 */
public final class InventoryProjections {

    /**
     * {@code orders}: key = order id → {@code {"order","lines":{"<sku>":{"quantity","status"}}}}. A reservation adds
     * the product's line, a release removes it, a shipment marks it shipped; an order with no line left is deleted.
     */
    public static final DocumentProjection<ProductEvent, ProductState, OrderDocument> ORDERS =
            DocumentProjection.of("orders", InventoryDomain.PRODUCTS, OrderDocument.class, InventoryProjections::orders);

    /**
     * {@code warehouses}: key = warehouse → {@code {"warehouse","products","onHand","reserved"}}, the count and sums
     * over the products registered in it.
     */
    public static final DocumentProjection<ProductEvent, ProductState, WarehouseDocument> WAREHOUSES =
            DocumentProjection.of("warehouses", InventoryDomain.PRODUCTS, WarehouseDocument.class,
                    InventoryProjections::warehouses);

    private InventoryProjections() {
    }

    static List<DocumentChange<OrderDocument>> orders(ProjectedEvent<ProductEvent, ProductState> event) {
        String sku = event.aggregateId();
        if (event.event() instanceof StockReserved reserved) {
            return List.of(DocumentChange.update(reserved.order(), current -> {
                // a product holds one reservation per order: a new one (after a shipment) replaces the line
                OrderDocument order = current.orElse(new OrderDocument(reserved.order(), new TreeMap<>()));
                return Optional.of(order.withLine(sku, new OrderDocument.Line(reserved.quantity(),
                        OrderDocument.Line.RESERVED)));
            }));
        }
        if (event.event() instanceof ReservationReleased released) {
            return List.of(DocumentChange.update(released.order(), current -> current
                    .map(order -> order.withLine(sku, null))
                    .filter(order -> !order.lines().isEmpty())));
        }
        if (event.event() instanceof ReservationShipped shipped) {
            return List.of(DocumentChange.update(shipped.order(), current -> current.map(order -> order.withLine(sku,
                    new OrderDocument.Line(shipped.quantity(), OrderDocument.Line.SHIPPED)))));
        }
        return List.of();
    }

    static List<DocumentChange<WarehouseDocument>> warehouses(ProjectedEvent<ProductEvent, ProductState> event) {
        ProductEvent happened = event.event();
        if (happened instanceof ProductRegistered registered) {
            return List.of(add(registered.warehouse(), 1, 0, 0));
        }
        String warehouse = event.stateBefore().warehouse();
        if (warehouse == null) {
            return List.of(); // not registered: the aggregate refuses any other event before registration
        }
        if (happened instanceof StockReceived received) {
            return List.of(add(warehouse, 0, received.quantity(), 0));
        }
        if (happened instanceof StockReserved reserved) {
            return List.of(add(warehouse, 0, 0, reserved.quantity()));
        }
        if (happened instanceof ReservationReleased released) {
            return List.of(add(warehouse, 0, 0, -released.quantity()));
        }
        if (happened instanceof ReservationShipped shipped) {
            return List.of(add(warehouse, 0, -shipped.quantity(), -shipped.quantity()));
        }
        return List.of();
    }

    private static DocumentChange<WarehouseDocument> add(String warehouse, long products, long onHand, long reserved) {
        return DocumentChange.update(warehouse, current -> Optional.of(current
                .orElse(new WarehouseDocument(warehouse, 0, 0, 0)).plus(products, onHand, reserved)));
    }
}
