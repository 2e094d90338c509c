package io.cairn.accounts;

/** The machine-readable reasons an account command can be rejected for. */
public final class AccountRejections {

    /** Open on an account that is open or was closed. */
    public static final String ALREADY_OPEN = "already_open";
    /** Any command but open on an account that was never opened. */
    public static final String NOT_OPEN = "account_not_open";
    public static final String ACCOUNT_CLOSED = "account_closed";
    public static final String INSUFFICIENT_FUNDS = "insufficient_funds";
    public static final String BALANCE_NOT_ZERO = "balance_not_zero";
    /** A deposit that would take the balance past what a long can hold. */
    public static final String BALANCE_OVERFLOW = "balance_overflow";

    private AccountRejections() {
    }
}
