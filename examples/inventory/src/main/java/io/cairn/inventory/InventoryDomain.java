package io.cairn.inventory;

import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.inventory.ProductCommand.Receive;
import io.cairn.inventory.ProductCommand.Register;
import io.cairn.inventory.ProductCommand.Release;
import io.cairn.inventory.ProductCommand.Reserve;
import io.cairn.inventory.ProductCommand.Ship;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inventory as Cairn serves it: collection {@code products} ({@code /products/{sku}}), streams
 * {@code product-{sku}}. A plugin's domain: listed in {@code META-INF/services/io.cairn.api.Domain}, found by
 * {@link java.util.ServiceLoader}, written against the public API only.
 */
public final class InventoryDomain implements Domain {

    /** The product aggregate's registration. Immutable and thread-safe. */
    public static final AggregateType<ProductCommand, ProductEvent, ProductState> PRODUCTS =
            AggregateType.builder(new Products())
                    .collection("products")
                    .command("register", CommandReader.json(Register.class))
                    .command("receive", CommandReader.json(Receive.class))
                    .command("reserve", CommandReader.json(Reserve.class))
                    .command("release", CommandReader.json(Release.class))
                    .command("ship", CommandReader.json(Ship.class))
                    .events(ProductEvent.class)
                    .state(ProductState.class, 1)
                    .view(InventoryDomain::show)
                    .rejection(ProductRejections.NOT_REGISTERED, 404)
                    .build();

    /** Public and without arguments, for {@link java.util.ServiceLoader}. */
    public InventoryDomain() {
    }

    /** {@code inventory}. */
    @Override
    public String name() {
        return "inventory";
    }

    /** Declares {@link #PRODUCTS}. */
    @Override
    public void register(DomainRegistry registry) {
        registry.aggregate(PRODUCTS);
        registry.projection(InventoryProjections.ORDERS);
        registry.projection(InventoryProjections.WAREHOUSES);
    }

    /** {@code {"sku","name","warehouse","onHand","reserved","available","reservations"}}, in that order. */
    static Map<String, Object> show(String sku, ProductState state) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("sku", sku);
        shown.put("name", state.name());
        shown.put("warehouse", state.warehouse());
        shown.put("onHand", state.onHand());
        shown.put("reserved", state.reserved());
        shown.put("available", state.available());
        shown.put("reservations", state.reservations());
        return shown;
    }
}
