package io.cairn.inventory;

/** The machine-readable reasons a product command can be rejected for; all 422 but {@link #NOT_REGISTERED}. */
public final class ProductRejections {

    /** Register on a product that is registered. */
    public static final String ALREADY_REGISTERED = "already_registered";
    /** Any command but register on a product that never was: answered 404. */
    public static final String NOT_REGISTERED = "not_registered";
    /** Reserve more than is available (on hand minus reserved). */
    public static final String INSUFFICIENT_STOCK = "insufficient_stock";
    /** Reserve for an order that already holds a reservation on the product. */
    public static final String ALREADY_RESERVED = "already_reserved";
    /** Release or ship for an order without a reservation on the product. */
    public static final String NO_RESERVATION = "no_reservation";
    /** Receive that would take on hand past what a long can hold. */
    public static final String STOCK_OVERFLOW = "stock_overflow";

    private ProductRejections() {
    }
}
