package io.cairn.accounts;

import static io.cairn.accounts.AccountTestData.aClosedAccount;
import static io.cairn.accounts.AccountTestData.anOpenAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.accounts.AccountCommand.CloseAccount;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.accounts.AccountEvent.AccountClosed;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountEvent.Withdrawn;
import io.cairn.accounts.AccountState.Status;
import io.cairn.domain.InvalidInputException;
import io.cairn.testkit.AggregateFixture;
import org.junit.jupiter.api.Test;

class AccountsTest {

    private final Accounts accounts = new Accounts();
    private final AggregateFixture<AccountCommand, AccountEvent, AccountState> account = AggregateFixture.of(accounts);

    @Test
    void opening_a_new_account_records_owner_currency_and_overdraft() {
        account.when(new OpenAccount("Ada", "EUR", 50))
                .thenEvents(new AccountOpened("Ada", "EUR", 50))
                .thenState(state -> assertThat(state).isEqualTo(new AccountState(Status.OPEN, "Ada", "EUR", 0, 50)));
    }

    @Test
    void opening_an_open_or_closed_account_is_rejected_as_already_open() {
        account.givenState(anOpenAccount().build()).when(new OpenAccount("Ada", "EUR", 0)).thenRejected("already_open");
        account.givenState(aClosedAccount().build()).when(new OpenAccount("Ada", "EUR", 0)).thenRejected("already_open");
    }

    @Test
    void money_commands_on_an_unopened_account_are_rejected_as_not_open() {
        account.when(new Deposit(1)).thenRejected("account_not_open");
        account.when(new Withdraw(1)).thenRejected("account_not_open");
        account.when(new CloseAccount()).thenRejected("account_not_open");
    }

    @Test
    void money_commands_on_a_closed_account_are_rejected_as_closed() {
        var closed = account.given(new AccountOpened("Ada", "EUR", 0), new AccountClosed());

        closed.when(new Deposit(1)).thenRejected("account_closed");
        closed.when(new Withdraw(1)).thenRejected("account_closed");
        closed.when(new CloseAccount()).thenRejected("account_closed");
    }

    @Test
    void a_withdrawal_may_use_the_overdraft_down_to_its_limit_and_not_a_unit_further() {
        var thirtyWithTwentyOverdraft = account.given(new AccountOpened("Ada", "EUR", 20), new Deposited(30));

        thirtyWithTwentyOverdraft.when(new Withdraw(50))
                .thenEvents(new Withdrawn(50))
                .thenState(state -> assertThat(state.balance()).isEqualTo(-20));
        thirtyWithTwentyOverdraft.when(new Withdraw(51)).thenRejected("insufficient_funds");
    }

    @Test
    void a_withdrawal_beyond_the_balance_without_overdraft_is_insufficient_funds() {
        account.givenState(anOpenAccount().withBalance(100).build()).when(new Withdraw(101))
                .thenRejected("insufficient_funds");
    }

    @Test
    void huge_balances_and_limits_do_not_overflow_the_funds_check() {
        account.givenState(anOpenAccount().withBalance(Long.MAX_VALUE - 1).withOverdraftLimit(10).build())
                .when(new Withdraw(Long.MAX_VALUE))
                .thenEvents(new Withdrawn(Long.MAX_VALUE));
    }

    @Test
    void a_deposit_that_would_overflow_the_balance_is_rejected() {
        var nearlyFull = account.givenState(anOpenAccount().withBalance(Long.MAX_VALUE - 5).build());

        nearlyFull.when(new Deposit(6)).thenRejected("balance_overflow");
        nearlyFull.when(new Deposit(5))
                .thenEvents(new Deposited(5))
                .thenState(state -> assertThat(state.balance()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void closing_needs_a_zero_balance() {
        account.givenState(anOpenAccount().withBalance(1).build()).when(new CloseAccount())
                .thenRejected("balance_not_zero");
        account.givenState(anOpenAccount().withBalance(-1).withOverdraftLimit(5).build()).when(new CloseAccount())
                .thenRejected("balance_not_zero");
        account.givenState(anOpenAccount().build()).when(new CloseAccount())
                .thenEvents(new AccountClosed())
                .thenState(state -> assertThat(state.status()).isEqualTo(Status.CLOSED));
    }

    @Test
    void folding_the_history_gives_the_state() {
        assertThat(account.given(new AccountOpened("Ada", "EUR", 10), new Deposited(100), new Withdrawn(30),
                new Withdrawn(70), new AccountClosed()).state())
                .isEqualTo(new AccountState(Status.CLOSED, "Ada", "EUR", 0, 10));
    }

    @Test
    void commands_validate_their_own_fields() {
        assertThatThrownBy(() -> new Deposit(0)).isInstanceOf(InvalidInputException.class).hasMessageContaining("amount");
        assertThatThrownBy(() -> new Withdraw(-5)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OpenAccount(" ", "EUR", 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OpenAccount("Ada", "eur", 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OpenAccount("Ada", "EUR", -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new OpenAccount(null, "EUR", 0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void the_registered_readers_refuse_bodies_that_do_not_fit_naming_the_field() {
        var registered = AggregateFixture.of(AccountsDomain.ACCOUNTS);

        registered.when("open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}")
                .thenEvents(new AccountOpened("Ada", "EUR", 0));
        registered.when("deposit", "{}").thenInvalidInput("amount");
        registered.when("deposit", "{\"amount\":0}").thenInvalidInput("amount");
        registered.when("open", "{\"owner\":\"Ada\"}").thenInvalidInput("currency");
    }

    @Test
    void the_stream_of_an_account_is_in_the_account_category() {
        assertThat(accounts.streamOf("42").value()).isEqualTo("account-42");
    }
}
