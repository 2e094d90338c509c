package io.cairn.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.InvalidInputException;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductsTest {

    private final AggregateFixture<ProductCommand, ProductEvent, ProductState> product =
            AggregateFixture.of(new Products());
    private final AggregateFixture<ProductCommand, ProductEvent, ProductState> lamp =
            product.given(new ProductRegistered("Lamp", "north"));
    private final AggregateFixture<ProductCommand, ProductEvent, ProductState> fiveLamps =
            lamp.given(new StockReceived(5));

    @Test
    void registering_a_new_product_records_its_name_and_warehouse_with_no_stock() {
        product.when(new Register("Lamp", "north"))
                .thenEvents(new ProductRegistered("Lamp", "north"))
                .thenState(state -> {
                    assertThat(state.registered()).isTrue();
                    assertThat(state).isEqualTo(new ProductState("Lamp", "north", 0, 0, new java.util.TreeMap<>()));
                });
    }

    @Test
    void registering_a_registered_product_is_rejected_as_already_registered() {
        lamp.when(new Register("Lamp", "south")).thenRejected("already_registered");
    }

    @Test
    void every_other_command_on_a_product_never_registered_is_not_registered() {
        product.when(new Receive(1)).thenRejected("not_registered");
        product.when(new Reserve("o-1", 1)).thenRejected("not_registered");
        product.when(new Release("o-1")).thenRejected("not_registered");
        product.when(new Ship("o-1")).thenRejected("not_registered");
    }

    @Test
    void receiving_grows_on_hand_and_what_is_available() {
        fiveLamps.when(new Receive(3))
                .thenEvents(new StockReceived(3))
                .thenState(state -> {
                    assertThat(state.onHand()).isEqualTo(8);
                    assertThat(state.available()).isEqualTo(8);
                });
    }

    @Test
    void receiving_past_what_a_long_holds_is_a_stock_overflow_and_up_to_it_is_not() {
        var nearlyFull = lamp.given(new StockReceived(Long.MAX_VALUE - 5));

        nearlyFull.when(new Receive(6)).thenRejected("stock_overflow");
        nearlyFull.when(new Receive(5))
                .thenEvents(new StockReceived(5))
                .thenState(state -> assertThat(state.onHand()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void reserving_holds_units_for_the_order() {
        fiveLamps.when(new Reserve("o-1", 2))
                .thenEvents(new StockReserved("o-1", 2))
                .thenState(state -> {
                    assertThat(state.onHand()).isEqualTo(5);
                    assertThat(state.reserved()).isEqualTo(2);
                    assertThat(state.available()).isEqualTo(3);
                    assertThat(state.reservations()).containsExactly(Map.entry("o-1", 2L));
                });
    }

    @Test
    void reserving_all_that_is_available_is_allowed_and_a_unit_more_is_insufficient_stock() {
        var twoReserved = fiveLamps.given(new StockReserved("o-1", 2));

        twoReserved.when(new Reserve("o-2", 4)).thenRejected("insufficient_stock");
        twoReserved.when(new Reserve("o-2", 3)).thenEvents(new StockReserved("o-2", 3))
                .thenState(state -> assertThat(state.available()).isZero());
        lamp.when(new Reserve("o-1", 1)).thenRejected("insufficient_stock");
    }

    @Test
    void an_order_holds_one_reservation_per_product() {
        fiveLamps.given(new StockReserved("o-1", 2)).when(new Reserve("o-1", 1)).thenRejected("already_reserved");
    }

    @Test
    void releasing_drops_the_reservation_and_makes_its_units_available_again() {
        fiveLamps.given(new StockReserved("o-1", 2), new StockReserved("o-2", 1)).when(new Release("o-1"))
                .thenEvents(new ReservationReleased("o-1", 2))
                .thenState(state -> {
                    assertThat(state.onHand()).isEqualTo(5);
                    assertThat(state.reserved()).isEqualTo(1);
                    assertThat(state.available()).isEqualTo(4);
                    assertThat(state.reservations()).containsExactly(Map.entry("o-2", 1L));
                });
    }

    @Test
    void a_released_order_may_reserve_again() {
        fiveLamps.given(new StockReserved("o-1", 2), new ReservationReleased("o-1", 2)).when(new Reserve("o-1", 5))
                .thenEvents(new StockReserved("o-1", 5));
    }

    @Test
    void releasing_or_shipping_without_a_reservation_is_no_reservation() {
        var otherOrder = fiveLamps.given(new StockReserved("o-2", 1));

        otherOrder.when(new Release("o-1")).thenRejected("no_reservation");
        otherOrder.when(new Ship("o-1")).thenRejected("no_reservation");
        otherOrder.given(new ReservationShipped("o-2", 1)).when(new Ship("o-2")).thenRejected("no_reservation");
    }

    @Test
    void shipping_takes_the_reserved_units_out_of_on_hand_and_reserved() {
        fiveLamps.given(new StockReserved("o-1", 2), new StockReserved("o-2", 1)).when(new Ship("o-1"))
                .thenEvents(new ReservationShipped("o-1", 2))
                .thenState(state -> {
                    assertThat(state.onHand()).isEqualTo(3);
                    assertThat(state.reserved()).isEqualTo(1);
                    assertThat(state.available()).isEqualTo(2);
                    assertThat(state.reservations()).containsExactly(Map.entry("o-2", 1L));
                });
    }

    @Test
    void a_rejection_changes_nothing() {
        fiveLamps.when(new Reserve("o-1", 6)).thenRejected("insufficient_stock")
                .thenState(state -> assertThat(state).isEqualTo(fiveLamps.state()));
    }

    @Test
    void reservations_are_sorted_by_order_and_cannot_be_changed_from_outside() {
        ProductState state = fiveLamps.given(new StockReserved("o-2", 1), new StockReserved("o-10", 1),
                new StockReserved("a", 1)).state();

        assertThat(state.reservations().keySet()).containsExactly("a", "o-10", "o-2");
        assertThatThrownBy(() -> state.reservations().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void commands_validate_their_own_fields_naming_them() {
        assertField(() -> new Register(" ", "north"), "name");
        assertField(() -> new Register(null, "north"), "name");
        assertField(() -> new Register("Lamp", ""), "warehouse");
        assertField(() -> new Receive(0), "quantity");
        assertField(() -> new Receive(-1), "quantity");
        assertField(() -> new Reserve(" ", 1), "order");
        assertField(() -> new Reserve("o-1", 0), "quantity");
        assertField(() -> new Release(null), "order");
        assertField(() -> new Ship(""), "order");
    }

    @Test
    void the_stream_of_a_product_is_in_the_product_category() {
        assertThat(new Products().streamOf("sku-1").value()).isEqualTo("product-sku-1");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable construction, String field) {
        assertThatThrownBy(construction).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
