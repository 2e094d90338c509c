package io.cairn.accounts;

import static io.cairn.domain.InvalidInputException.check;
import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** What a client can ask of an account. Each command validates its own fields; amounts are minor units. */
public sealed interface AccountCommand {

    Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    int MAX_OWNER_LENGTH = 200;

    record OpenAccount(String owner, String currency, long overdraftLimit) implements AccountCommand {
        public OpenAccount {
            check(owner != null && !owner.isBlank(), "owner", "owner must not be blank");
            check(owner.length() <= MAX_OWNER_LENGTH, "owner", "owner must be at most " + MAX_OWNER_LENGTH + " characters");
            check(currency != null && CURRENCY.matcher(currency).matches(), "currency",
                    "currency must be an ISO 4217 code of three upper-case letters");
            check(overdraftLimit >= 0, "overdraftLimit", "overdraftLimit must be >= 0, was " + overdraftLimit);
        }
    }

    record Deposit(long amount) implements AccountCommand {
        public Deposit {
            check(amount > 0, "amount", "amount must be > 0, was " + amount);
        }
    }

    record Withdraw(long amount) implements AccountCommand {
        public Withdraw {
            check(amount > 0, "amount", "amount must be > 0, was " + amount);
        }
    }

    record CloseAccount() implements AccountCommand {
    }

    /** Name of the command as it appears in logs and metrics. */
    default String name() {
        return requireNonNull(getClass().getSimpleName());
    }
}
