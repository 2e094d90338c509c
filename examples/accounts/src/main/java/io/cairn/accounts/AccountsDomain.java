package io.cairn.accounts;

import io.cairn.accounts.AccountCommand.CloseAccount;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountCommand.Withdraw;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.ProjectedEvent;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
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

    /**
     * {@code owners}: key = owner → {@code {"owner","accounts":["<id>",…],"balances":{"<currency>":sum}}}. Deposits
     * and withdrawals carry no owner: the account's state before them does. Sums and set members commute, so the
     * documents come out the same whatever order accounts' events interleave in.
     */
    public static final DocumentProjection<AccountEvent, AccountState, OwnerDocument> OWNERS =
            DocumentProjection.of("owners", ACCOUNTS, OwnerDocument.class, AccountsDomain::owners);

    static List<DocumentChange<OwnerDocument>> owners(ProjectedEvent<AccountEvent, AccountState> event) {
        AccountState before = event.stateBefore();
        if (event.event() instanceof AccountEvent.AccountOpened opened) {
            return List.of(DocumentChange.update(opened.owner(), current -> Optional.of(current
                    .orElse(new OwnerDocument(opened.owner(), List.of(), new TreeMap<>()))
                    .opened(event.aggregateId(), opened.currency()))));
        }
        if (event.event() instanceof AccountEvent.Deposited deposited) {
            return List.of(DocumentChange.update(before.owner(),
                    current -> current.map(owner -> owner.moved(before.currency(), deposited.amount()))));
        }
        if (event.event() instanceof AccountEvent.Withdrawn withdrawn) {
            return List.of(DocumentChange.update(before.owner(),
                    current -> current.map(owner -> owner.moved(before.currency(), -withdrawn.amount()))));
        }
        return List.of();
    }

    @Override
    public void register(DomainRegistry registry) {
        registry.aggregate(ACCOUNTS);
        registry.projection(OWNERS);
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
