package io.cairn.accounts;

import static io.cairn.accounts.AccountRejections.ACCOUNT_CLOSED;
import static io.cairn.accounts.AccountRejections.ALREADY_OPEN;
import static io.cairn.accounts.AccountRejections.BALANCE_NOT_ZERO;
import static io.cairn.accounts.AccountRejections.BALANCE_OVERFLOW;
import static io.cairn.accounts.AccountRejections.INSUFFICIENT_FUNDS;
import static io.cairn.accounts.AccountRejections.NOT_OPEN;

import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import io.cairn.accounts.AccountCommand.CloseAccount;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.accounts.AccountEvent.AccountClosed;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountEvent.Withdrawn;
import io.cairn.accounts.AccountState.Status;

/** The reference domain: a ledger of accounts, one currency each, amounts in minor units. */
public final class Accounts implements Aggregate<AccountCommand, AccountEvent, AccountState> {

    public static final String CATEGORY = "account";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public AccountState initialState() {
        return AccountState.NONE;
    }

    @Override
    public Decision<AccountEvent> decide(AccountCommand command, AccountState state) {
        if (command instanceof OpenAccount open) {
            if (state.status() != Status.NONE) {
                return Decision.reject(ALREADY_OPEN, "the account was opened before");
            }
            return Decision.accept(new AccountOpened(open.owner(), open.currency(), open.overdraftLimit()));
        }
        if (state.status() == Status.NONE) {
            return Decision.reject(NOT_OPEN, "the account has not been opened");
        }
        if (state.status() == Status.CLOSED) {
            return Decision.reject(ACCOUNT_CLOSED, "the account is closed");
        }
        if (command instanceof Deposit deposit) {
            if (state.balance() > Long.MAX_VALUE - deposit.amount()) {
                return Decision.reject(BALANCE_OVERFLOW, "the balance cannot hold " + deposit.amount() + " more");
            }
            return Decision.accept(new Deposited(deposit.amount()));
        }
        if (command instanceof Withdraw withdraw) {
            if (withdraw.amount() > available(state)) {
                return Decision.reject(INSUFFICIENT_FUNDS, "balance " + state.balance() + " with overdraft limit "
                        + state.overdraftLimit() + " does not cover " + withdraw.amount());
            }
            return Decision.accept(new Withdrawn(withdraw.amount()));
        }
        if (command instanceof CloseAccount) {
            if (state.balance() != 0) {
                return Decision.reject(BALANCE_NOT_ZERO, "the balance is " + state.balance() + ", not 0");
            }
            return Decision.accept(new AccountClosed());
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    @Override
    public AccountState evolve(AccountState state, AccountEvent event) {
        if (event instanceof AccountOpened opened) {
            return new AccountState(Status.OPEN, opened.owner(), opened.currency(), state.balance(), opened.overdraftLimit());
        }
        if (event instanceof Deposited deposited) {
            return state.withBalance(state.balance() + deposited.amount());
        }
        if (event instanceof Withdrawn withdrawn) {
            return state.withBalance(state.balance() - withdrawn.amount());
        }
        if (event instanceof AccountClosed) {
            return state.withStatus(Status.CLOSED);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** Balance plus overdraft, saturating at Long.MAX_VALUE instead of overflowing. */
    private static long available(AccountState state) {
        long sum = state.balance() + state.overdraftLimit();
        boolean overflowed = state.balance() > 0 && sum < state.balance();
        return overflowed ? Long.MAX_VALUE : sum;
    }
}
