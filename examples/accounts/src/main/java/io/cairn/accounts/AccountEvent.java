package io.cairn.accounts;

/** Everything that can happen to an account. The record names are the stored event types. */
public sealed interface AccountEvent {

    record AccountOpened(String owner, String currency, long overdraftLimit) implements AccountEvent {
    }

    record Deposited(long amount) implements AccountEvent {
    }

    record Withdrawn(long amount) implements AccountEvent {
    }

    record AccountClosed() implements AccountEvent {
    }
}
