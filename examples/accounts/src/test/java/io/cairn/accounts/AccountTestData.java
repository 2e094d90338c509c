package io.cairn.accounts;

import io.cairn.accounts.AccountState.Status;

/** Builders for account states: {@code anOpenAccount().withBalance(100)}. */
final class AccountTestData {

    private final AccountState state;

    private AccountTestData(AccountState state) {
        this.state = state;
    }

    static AccountTestData anOpenAccount() {
        return new AccountTestData(new AccountState(Status.OPEN, "Ada", "EUR", 0, 0));
    }

    static AccountTestData aClosedAccount() {
        return new AccountTestData(new AccountState(Status.CLOSED, "Ada", "EUR", 0, 0));
    }

    AccountTestData withBalance(long balance) {
        return new AccountTestData(state.withBalance(balance));
    }

    AccountTestData withOverdraftLimit(long limit) {
        return new AccountTestData(new AccountState(state.status(), state.owner(), state.currency(), state.balance(), limit));
    }

    AccountState build() {
        return state;
    }
}
