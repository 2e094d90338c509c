package io.cairn.accounts;

import static java.util.Objects.requireNonNull;

/**
 * An account as its events leave it.
 *
 * @param owner    null until opened
 * @param currency null until opened
 * @param balance  minor units; may be negative down to {@code -overdraftLimit}
 */
public record AccountState(Status status, String owner, String currency, long balance, long overdraftLimit) {

    public static final AccountState NONE = new AccountState(Status.NONE, null, null, 0, 0);

    public enum Status { NONE, OPEN, CLOSED }

    public AccountState {
        requireNonNull(status, "status must not be null");
    }

    AccountState withBalance(long newBalance) {
        return new AccountState(status, owner, currency, newBalance, overdraftLimit);
    }

    AccountState withStatus(Status newStatus) {
        return new AccountState(newStatus, owner, currency, balance, overdraftLimit);
    }
}
