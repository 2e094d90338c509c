package io.cairn.accounts;

import io.cairn.accounts.AccountCommand.CloseAccount;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.domain.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The accounts ledger as Cairn serves it: collection {@code accounts}, streams {@code account-{id}}. Registered
 * through the public API exactly as a plugin's domain is, and found by {@link java.util.ServiceLoader}.
 */
public final class AccountsDomain implements Domain {

    /** The account aggregate's registration. */
    public static final AggregateType<AccountCommand, AccountEvent, AccountState> ACCOUNTS =
            AggregateType.builder(new Accounts())
                    .collection("accounts")
                    .idField("accountId")
                    .command("open", CommandReader.json(OpenBody.class, open -> new OpenAccount(
                            required(open.owner(), "owner"), required(open.currency(), "currency"),
                            open.overdraftLimit() == null ? 0 : open.overdraftLimit())))
                    .command("deposit", CommandReader.json(AmountBody.class,
                            body -> new Deposit(required(body.amount(), "amount"))))
                    .command("withdraw", CommandReader.json(AmountBody.class,
                            body -> new Withdraw(required(body.amount(), "amount"))))
                    .command("close", CommandReader.empty(new CloseAccount()))
                    .events(AccountEvent.class)
                    .state(AccountState.class, 1)
                    .view(AccountsDomain::show)
                    .rejection(AccountRejections.NOT_OPEN, 404)
                    .build();

    /** {@code {"owner","currency","overdraftLimit"?}}: the limit defaults to 0. */
    record OpenBody(String owner, String currency, Long overdraftLimit) {
    }

    /** {@code {"amount"}} in minor units. */
    record AmountBody(Long amount) {
    }

    @Override
    public String name() {
        return "accounts";
    }

    @Override
    public void register(DomainRegistry registry) {
        registry.aggregate(ACCOUNTS);
    }

    private static Map<String, Object> show(String id, AccountState state) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("accountId", id);
        shown.put("owner", state.owner());
        shown.put("currency", state.currency());
        shown.put("balance", state.balance());
        shown.put("overdraftLimit", state.overdraftLimit());
        shown.put("status", state.status().name());
        return shown;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }
}
