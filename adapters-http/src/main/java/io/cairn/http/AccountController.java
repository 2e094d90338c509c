package io.cairn.http;

import static io.cairn.http.RequestBodies.required;

import io.cairn.application.AggregateQueries;
import io.cairn.application.AggregateQueries.Consistency;
import io.cairn.application.CommandHandler;
import io.cairn.application.CommandOutcome;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /accounts/{id}}: the account commands (the Idempotency-Key is the command id) and the account query.
 * Thread-safe.
 */
final class AccountController {

    /** The longest account id: its stream id {@code account-{id}} must fit {@link StreamId#MAX_LENGTH}. */
    static final int MAX_ID_LENGTH = StreamId.MAX_LENGTH - Accounts.CATEGORY.length() - 1;

    record OpenAccountBody(String owner, String currency, Long overdraftLimit) {
    }

    record AmountBody(Long amount) {
    }

    record CloseAccountBody() {
    }

    record CommandAccepted(String accountId, long revision) {
    }

    record AccountView(String accountId, String owner, String currency, long balance, long overdraftLimit,
                       String status, long revision) {
    }

    private final CommandHandler<AccountCommand, AccountEvent, AccountState> commands;
    private final AggregateQueries<AccountEvent, AccountState> queries;
    private final RequestBodies bodies;
    private final ProblemMapper problems;
    private final Replies replies;

    AccountController(CommandHandler<AccountCommand, AccountEvent, AccountState> commands,
                      AggregateQueries<AccountEvent, AccountState> queries, RequestBodies bodies,
                      ProblemMapper problems, Replies replies) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
        this.problems = problems;
        this.replies = replies;
    }

    /** {@code POST /accounts/{id}/open {"owner","currency","overdraftLimit"?}}; the limit defaults to 0. */
    Reply open(Context ctx, byte[] body, Optional<UUID> key) throws IOException {
        String id = accountId(ctx);
        OpenAccountBody open = bodies.parse(body, OpenAccountBody.class);
        long overdraftLimit = open.overdraftLimit() == null ? 0 : open.overdraftLimit();
        return execute(ctx, id, key, new AccountCommand.OpenAccount(required(open.owner(), "owner"),
                required(open.currency(), "currency"), overdraftLimit));
    }

    /** {@code POST /accounts/{id}/deposit {"amount"}}. */
    Reply deposit(Context ctx, byte[] body, Optional<UUID> key) throws IOException {
        String id = accountId(ctx);
        long amount = required(bodies.parse(body, AmountBody.class).amount(), "amount");
        return execute(ctx, id, key, new AccountCommand.Deposit(amount));
    }

    /** {@code POST /accounts/{id}/withdraw {"amount"}}. */
    Reply withdraw(Context ctx, byte[] body, Optional<UUID> key) throws IOException {
        String id = accountId(ctx);
        long amount = required(bodies.parse(body, AmountBody.class).amount(), "amount");
        return execute(ctx, id, key, new AccountCommand.Withdraw(amount));
    }

    /** {@code POST /accounts/{id}/close {}} (an empty body will do). */
    Reply close(Context ctx, byte[] body, Optional<UUID> key) throws IOException {
        String id = accountId(ctx);
        bodies.parse(body, CloseAccountBody.class);
        return execute(ctx, id, key, new AccountCommand.CloseAccount());
    }

    /** {@code GET /accounts/{id}?consistency=eventual|strong}. */
    Reply get(Context ctx) {
        String id = accountId(ctx);
        Consistency consistency = consistency(ctx.queryParam("consistency"));
        Snapshot<AccountState> account = queries.find(id, consistency)
                .filter(found -> found.state().status() != AccountState.Status.NONE)
                .orElseThrow(() -> new ProblemException(ProblemMapper.accountNotFound(id)));
        AccountState state = account.state();
        return replies.json(200, new AccountView(id, state.owner(), state.currency(), state.balance(),
                state.overdraftLimit(), state.status().name(), account.revision()));
    }

    private Reply execute(Context ctx, String id, Optional<UUID> key, AccountCommand command) {
        CommandOutcome outcome;
        try {
            outcome = commands.handle(id, key.orElseGet(UUID::randomUUID), command);
        } catch (WrongExpectedRevision e) {
            throw new CommandContentionException(id, e);
        }
        if (outcome instanceof CommandOutcome.Rejected rejected) {
            return replies.problem(problems.rejection(id, rejected.rejection()), ctx);
        }
        CommandOutcome.Accepted accepted = (CommandOutcome.Accepted) outcome;
        Reply reply = replies.json(200, new CommandAccepted(id, accepted.revision()));
        return accepted.replayed() ? reply.withHeader(IdempotencyCache.REPLAYED_HEADER, "true") : reply;
    }

    /** The path's account id, checked to make a valid stream id. */
    private static String accountId(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            StreamId.of(Accounts.CATEGORY, id);
            return id;
        } catch (InvalidInputException e) {
            throw new InvalidInputException("accountId", "an account id must be 1-" + MAX_ID_LENGTH
                    + " characters of [A-Za-z0-9._:-]");
        }
    }

    private static Consistency consistency(String value) {
        if (value == null || value.equals("eventual")) {
            return Consistency.EVENTUAL;
        }
        if (value.equals("strong")) {
            return Consistency.STRONG;
        }
        throw new InvalidInputException("consistency", "consistency must be 'eventual' or 'strong'");
    }
}
