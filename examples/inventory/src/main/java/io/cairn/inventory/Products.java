package io.cairn.inventory;

import static io.cairn.inventory.ProductRejections.ALREADY_REGISTERED;
import static io.cairn.inventory.ProductRejections.ALREADY_RESERVED;
import static io.cairn.inventory.ProductRejections.INSUFFICIENT_STOCK;
import static io.cairn.inventory.ProductRejections.NOT_REGISTERED;
import static io.cairn.inventory.ProductRejections.NO_RESERVATION;
import static io.cairn.inventory.ProductRejections.STOCK_OVERFLOW;

import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
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
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A product's stock and the orders' reservations on it: streams {@code product-{sku}}. Stateless and thread-safe;
 * {@link #evolve} never throws for a product event.
 */
public final class Products implements Aggregate<ProductCommand, ProductEvent, ProductState> {

    /** The category of product streams. */
    public static final String CATEGORY = "product";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public ProductState initialState() {
        return ProductState.NONE;
    }

    @Override
    public Decision<ProductEvent> decide(ProductCommand command, ProductState state) {
        if (command instanceof Register register) {
            if (state.registered()) {
                return Decision.reject(ALREADY_REGISTERED, "the product was registered before, as '"
                        + state.name() + "' in " + state.warehouse());
            }
            return Decision.accept(new ProductRegistered(register.name(), register.warehouse()));
        }
        if (!state.registered()) {
            return Decision.reject(NOT_REGISTERED, "the product has not been registered");
        }
        if (command instanceof Receive receive) {
            if (state.onHand() > Long.MAX_VALUE - receive.quantity()) {
                return Decision.reject(STOCK_OVERFLOW, "on hand " + state.onHand() + " cannot hold "
                        + receive.quantity() + " more");
            }
            return Decision.accept(new StockReceived(receive.quantity()));
        }
        if (command instanceof Reserve reserve) {
            if (state.reservations().containsKey(reserve.order())) {
                return Decision.reject(ALREADY_RESERVED, "order " + reserve.order() + " already holds "
                        + state.reservations().get(reserve.order()));
            }
            if (state.available() < reserve.quantity()) {
                return Decision.reject(INSUFFICIENT_STOCK, "available " + state.available() + " does not cover "
                        + reserve.quantity());
            }
            return Decision.accept(new StockReserved(reserve.order(), reserve.quantity()));
        }
        if (command instanceof Release release) {
            Long held = state.reservations().get(release.order());
            if (held == null) {
                return noReservation(release.order());
            }
            return Decision.accept(new ReservationReleased(release.order(), held));
        }
        if (command instanceof Ship ship) {
            Long held = state.reservations().get(ship.order());
            if (held == null) {
                return noReservation(ship.order());
            }
            return Decision.accept(new ReservationShipped(ship.order(), held));
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    @Override
    public ProductState evolve(ProductState state, ProductEvent event) {
        if (event instanceof ProductRegistered registered) {
            return new ProductState(registered.name(), registered.warehouse(), state.onHand(), state.reserved(),
                    state.reservations());
        }
        if (event instanceof StockReceived received) {
            return state.withStock(state.onHand() + received.quantity(), state.reserved(), state.reservations());
        }
        if (event instanceof StockReserved reserved) {
            SortedMap<String, Long> reservations = new TreeMap<>(state.reservations());
            reservations.put(reserved.order(), reserved.quantity());
            return state.withStock(state.onHand(), state.reserved() + reserved.quantity(), reservations);
        }
        if (event instanceof ReservationReleased released) {
            SortedMap<String, Long> reservations = new TreeMap<>(state.reservations());
            reservations.remove(released.order());
            return state.withStock(state.onHand(), state.reserved() - released.quantity(), reservations);
        }
        if (event instanceof ReservationShipped shipped) {
            SortedMap<String, Long> reservations = new TreeMap<>(state.reservations());
            reservations.remove(shipped.order());
            return state.withStock(state.onHand() - shipped.quantity(), state.reserved() - shipped.quantity(),
                    reservations);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Decision<ProductEvent> noReservation(String order) {
        return Decision.reject(NO_RESERVATION, "order " + order + " holds no reservation on the product");
    }
}
