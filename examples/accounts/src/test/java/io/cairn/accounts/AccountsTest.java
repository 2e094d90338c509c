package io.cairn.accounts;

import static io.cairn.accounts.AccountTestData.aClosedAccount;
import static io.cairn.accounts.AccountTestData.anOpenAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.domain.Decision;
import io.cairn.domain.InvalidInputException;
import io.cairn.accounts.AccountCommand.CloseAccount;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.accounts.AccountEvent.AccountClosed;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountEvent.Withdrawn;
import io.cairn.accounts.AccountState.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountsTest {

    private final Accounts accounts = new Accounts();

    @Test
    void opening_a_new_account_records_owner_currency_and_overdraft() {
        var decision = accounts.decide(new OpenAccount("Ada", "EUR", 50), AccountState.NONE);

        assertThat(decision).isEqualTo(Decision.accept(new AccountOpened("Ada", "EUR", 50)));
    }

    @Test
    void opening_an_open_or_closed_account_is_rejected_as_already_open() {
        assertThat(rejectionOf(new OpenAccount("Ada", "EUR", 0), anOpenAccount().build())).isEqualTo("already_open");
        assertThat(rejectionOf(new OpenAccount("Ada", "EUR", 0), aClosedAccount().build())).isEqualTo("already_open");
    }

    @Test
    void money_commands_on_an_unopened_account_are_rejected_as_not_open() {
        assertThat(rejectionOf(new Deposit(1), AccountState.NONE)).isEqualTo("account_not_open");
        assertThat(rejectionOf(new Withdraw(1), AccountState.NONE)).isEqualTo("account_not_open");
        assertThat(rejectionOf(new CloseAccount(), AccountState.NONE)).isEqualTo("account_not_open");
    }

    @Test
    void money_commands_on_a_closed_account_are_rejected_as_closed() {
        assertThat(rejectionOf(new Deposit(1), aClosedAccount().build())).isEqualTo("account_closed");
        assertThat(rejectionOf(new Withdraw(1), aClosedAccount().build())).isEqualTo("account_closed");
        assertThat(rejectionOf(new CloseAccount(), aClosedAccount().build())).isEqualTo("account_closed");
    }

    @Test
    void a_withdrawal_may_use_the_overdraft_down_to_its_limit_and_not_a_unit_further() {
        AccountState state = anOpenAccount().withBalance(30).withOverdraftLimit(20).build();

        assertThat(accounts.decide(new Withdraw(50), state)).isEqualTo(Decision.accept(new Withdrawn(50)));
        assertThat(rejectionOf(new Withdraw(51), state)).isEqualTo("insufficient_funds");
    }

    @Test
    void a_withdrawal_beyond_the_balance_without_overdraft_is_insufficient_funds() {
        assertThat(rejectionOf(new Withdraw(101), anOpenAccount().withBalance(100).build())).isEqualTo("insufficient_funds");
    }

    @Test
    void huge_balances_and_limits_do_not_overflow_the_funds_check() {
        AccountState rich = anOpenAccount().withBalance(Long.MAX_VALUE - 1).withOverdraftLimit(10).build();

        assertThat(accounts.decide(new Withdraw(Long.MAX_VALUE), rich)).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void a_deposit_that_would_overflow_the_balance_is_rejected() {
        AccountState nearlyFull = anOpenAccount().withBalance(Long.MAX_VALUE - 5).build();

        assertThat(rejectionOf(new Deposit(6), nearlyFull)).isEqualTo("balance_overflow");
        assertThat(accounts.decide(new Deposit(5), nearlyFull)).isEqualTo(Decision.accept(new Deposited(5)));
    }

    @Test
    void closing_needs_a_zero_balance() {
        assertThat(rejectionOf(new CloseAccount(), anOpenAccount().withBalance(1).build())).isEqualTo("balance_not_zero");
        assertThat(rejectionOf(new CloseAccount(), anOpenAccount().withBalance(-1).withOverdraftLimit(5).build()))
                .isEqualTo("balance_not_zero");
        assertThat(accounts.decide(new CloseAccount(), anOpenAccount().build())).isEqualTo(Decision.accept(new AccountClosed()));
    }

    @Test
    void folding_the_history_gives_the_state() {
        AccountState state = accounts.fold(accounts.initialState(), List.of(
                new AccountOpened("Ada", "EUR", 10), new Deposited(100), new Withdrawn(30), new Withdrawn(70),
                new AccountClosed()));

        assertThat(state).isEqualTo(new AccountState(Status.CLOSED, "Ada", "EUR", 0, 10));
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
    void the_stream_of_an_account_is_in_the_account_category() {
        assertThat(accounts.streamOf("42").value()).isEqualTo("account-42");
    }

    private String rejectionOf(AccountCommand command, AccountState state) {
        Decision<AccountEvent> decision = accounts.decide(command, state);
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected<AccountEvent>) decision).rejection().reason();
    }
}
