package io.cairn.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.api.DomainRegistry;
import io.cairn.api.Domain;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.MalformedJsonException;
import io.cairn.inventory.ProductCommand.Receive;
import io.cairn.inventory.ProductCommand.Register;
import io.cairn.inventory.ProductCommand.Release;
import io.cairn.inventory.ProductCommand.Reserve;
import io.cairn.inventory.ProductCommand.Ship;
import io.cairn.inventory.ProductEvent.ProductRegistered;
import io.cairn.inventory.ProductEvent.ReservationReleased;
import io.cairn.inventory.ProductEvent.ReservationShipped;
import io.cairn.inventory.ProductEvent.StockReceived;
import io.cairn.inventory.ProductEvent.StockReserved;
import io.cairn.testkit.AggregateFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InventoryDomainTest {

    private final AggregateFixture<ProductCommand, ProductEvent, ProductState> products =
            AggregateFixture.of(InventoryDomain.PRODUCTS);
    private final AggregateFixture<ProductCommand, ProductEvent, ProductState> fiveLamps =
            products.given(new ProductRegistered("Lamp", "north"), new StockReceived(5));

    @Test
    void the_service_loader_finds_the_inventory_domain() {
        assertThat(ServiceLoader.load(Domain.class).stream().map(ServiceLoader.Provider::type))
                .contains(InventoryDomain.class);
        assertThat(ServiceLoader.load(Domain.class).stream().map(ServiceLoader.Provider::get)
                .filter(InventoryDomain.class::isInstance).findFirst()).get()
                .extracting(Domain::name).isEqualTo("inventory");
    }

    @Test
    void registering_declares_the_products_collection_with_its_five_commands() {
        List<AggregateType<?, ?, ?>> declared = new ArrayList<>();
        List<DocumentProjection<?, ?, ?>> projections = new ArrayList<>();

        new InventoryDomain().register(new DomainRegistry() {
            @Override
            public void aggregate(AggregateType<?, ?, ?> aggregate) {
                declared.add(aggregate);
            }

            @Override
            public void projection(DocumentProjection<?, ?, ?> projection) {
                projections.add(projection);
            }
        });

        assertThat(projections).extracting(DocumentProjection::name).containsExactly("orders", "warehouses");
        assertThat(declared).hasSize(1);
        AggregateType<?, ?, ?> products = declared.get(0);
        assertThat(products.collection()).isEqualTo("products");
        assertThat(products.category()).isEqualTo("product");
        assertThat(products.commands().keySet()).containsExactly("register", "receive", "reserve", "release", "ship");
        assertThat(products.streamOf("sku-1").value()).isEqualTo("product-sku-1");
        assertThat(products.idField()).isEqualTo("id");
        assertThat(products.statusOf("not_registered")).isEqualTo(404);
        for (String reason : List.of("already_registered", "insufficient_stock", "already_reserved",
                "no_reservation", "stock_overflow")) {
            assertThat(products.statusOf(reason)).as(reason).isEqualTo(422);
        }
        assertThat(products.state().schemaVersion()).isEqualTo(1);
    }

    @Test
    void each_reader_reads_its_json_body() {
        products.when("register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}")
                .thenEvents(new ProductRegistered("Lamp", "north"));
        fiveLamps.when("receive", "{\"quantity\":3}").thenEvents(new StockReceived(3));
        fiveLamps.when("reserve", "{\"order\":\"o-1\",\"quantity\":2}").thenEvents(new StockReserved("o-1", 2));
        var reserved = fiveLamps.given(new StockReserved("o-1", 2));
        reserved.when("release", "{\"order\":\"o-1\"}").thenEvents(new ReservationReleased("o-1", 2));
        reserved.when("ship", "{\"order\":\"o-1\"}").thenEvents(new ReservationShipped("o-1", 2));
    }

    @Test
    void the_readers_refuse_bodies_that_do_not_fit_naming_the_field() {
        fiveLamps.when("receive", "{\"quantity\":0}").thenInvalidInput("quantity").hasMessageContaining("> 0");
        fiveLamps.when("receive", "{\"quantity\":-3}").thenInvalidInput("quantity");
        fiveLamps.when("receive", "{\"quantity\":\"5\"}").thenInvalidInput("quantity");
        fiveLamps.when("receive", "{\"quantity\":1.5}").thenInvalidInput("quantity");
        fiveLamps.when("receive", "{\"quantity\":99999999999999999999}").thenInvalidInput("quantity");
        fiveLamps.when("receive", "{\"quantity\":5,\"note\":\"x\"}").thenInvalidInput("note");
        fiveLamps.when("reserve", "{\"order\":\" \",\"quantity\":1}").thenInvalidInput("order");
        fiveLamps.when("reserve", "{\"order\":7,\"quantity\":1}").thenInvalidInput("order");
        fiveLamps.when("release", "{\"order\":null}").thenInvalidInput("order");
        fiveLamps.when("ship", "{\"order\":\"o-1\",\"orderId\":\"o-1\"}").thenInvalidInput("orderId");
        // a misspelt field alone: refused too (Jackson names the missing "order" first)
        fiveLamps.when("ship", "{\"orderId\":\"o-1\"}").thenThrows(InvalidInputException.class);
        fiveLamps.when("receive", "[5]").thenInvalidInput("body");
        fiveLamps.when("receive", "{\"quantity\":").thenThrows(MalformedJsonException.class);
        products.when("register", "{\"name\":\"Lamp\",\"warehouse\":\"\"}").thenInvalidInput("warehouse");
    }

    @Test
    void a_missing_field_is_refused_naming_it_primitive_or_not() {
        // a missing long is not read as 0: the reader itself refuses it, naming the field
        fiveLamps.when("receive", "{}").thenInvalidInput("quantity");
        fiveLamps.when("receive", "").thenInvalidInput("quantity");
        fiveLamps.when("reserve", "{\"order\":\"o-1\"}").thenInvalidInput("quantity");
        fiveLamps.when("reserve", "{\"quantity\":1}").thenInvalidInput("order");
        products.when("register", "{\"name\":\"Lamp\"}").thenInvalidInput("warehouse");
    }

    @Test
    void the_view_shows_the_stock_fields_in_order() {
        ProductState state = fiveLamps.given(new StockReserved("o-2", 1), new StockReserved("o-1", 2)).state();

        var shown = InventoryDomain.PRODUCTS.view().show("sku-1", state);

        assertThat(shown.keySet()).containsExactly("sku", "name", "warehouse", "onHand", "reserved", "available",
                "reservations");
        assertThat(shown.values()).containsExactly("sku-1", "Lamp", "north", 5L, 3L, 2L, state.reservations());
        assertThat(shown.get("reservations").toString()).isEqualTo("{o-1=2, o-2=1}");
    }

    @Test
    void every_event_and_the_state_survive_their_codecs() {
        List<ProductEvent> events = List.of(new ProductRegistered("Lamp", "north"), new StockReceived(5),
                new StockReserved("o-1", 2), new ReservationReleased("o-1", 2), new StockReserved("o-2", 1),
                new ReservationShipped("o-2", 1));
        for (ProductEvent event : events) {
            EventData data = InventoryDomain.PRODUCTS.events().encode(event);
            assertThat(data.type()).isEqualTo(event.getClass().getSimpleName());
            assertThat(InventoryDomain.PRODUCTS.events().decode(data)).isEqualTo(event);
        }
        ProductState state = fiveLamps.given(new StockReserved("o-2", 1), new StockReserved("o-1", 2)).state();
        var codec = InventoryDomain.PRODUCTS.state();
        ProductState decoded = codec.decode(codec.encode(state));
        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.reservations().keySet()).containsExactly("o-1", "o-2");
    }
}
