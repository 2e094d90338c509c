package io.cairn.application;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.projection.Projection;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The accounts domain wired on in-memory ports, as the core's tests use it: a store that counts its calls and
 * recognises a repeated commit id no further than the port promises, views behind the write-through cache, a
 * projection that is only built when a test wants one.
 */
final class Ledger {

    final Accounts accounts = new Accounts();
    final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    final JacksonStateCodec<AccountState> stateCodec = new JacksonStateCodec<>(AccountState.class, 1);
    final InMemoryEventStore memoryStore;
    /** What the command handler and queries use: the in-memory store, idempotent only as far as the port
     *  promises (see {@link IdempotentOnlyAtTheNextRevision}), counting the calls that reach it. */
    final CountingEventStore store;
    final InMemoryViewStore<AccountState> viewStore = new InMemoryViewStore<>();
    final CachingViewStore<AccountState> views = CachingViewStore.over(viewStore, 10_000);
    final InMemorySnapshotStore<AccountState> snapshots = new InMemorySnapshotStore<>();
    final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    final InProcessFastChannel fastChannel = new InProcessFastChannel();
    final InMemoryDurableChannel durableChannel;
    final RetryPolicy retryPolicy = new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(10));

    Ledger() {
        this(Clock.systemUTC());
    }

    /** A ledger whose store records commits at the times {@code clock} tells. */
    Ledger(Clock clock) {
        memoryStore = new InMemoryEventStore(clock);
        store = new CountingEventStore(new IdempotentOnlyAtTheNextRevision(memoryStore));
        durableChannel = new InMemoryDurableChannel(memoryStore, 20);
    }

    CommandHandler<AccountCommand, AccountEvent, AccountState> handler() {
        return CommandHandler.builder(accounts, codec, store)
                .views(views)
                .fastChannel(fastChannel)
                .retryPolicy(retryPolicy)
                .build();
    }

    CommandHandler<AccountCommand, AccountEvent, AccountState> handlerWithSnapshots(Executor snapshotWriter) {
        return CommandHandler.builder(accounts, codec, store)
                .views(views)
                .snapshots(snapshots, stateCodec, snapshotWriter)
                .fastChannel(fastChannel)
                .retryPolicy(retryPolicy)
                .build();
    }

    /** The accounts projection in global order (the in-memory store has a global log), on a clock of the test's. */
    Projection.Builder<AccountEvent, AccountState> projection(LongSupplier clock) {
        return Projection.builder("accounts-view", accounts, codec, memoryStore, views, checkpoints)
                .globalLog(Optional.of(memoryStore))
                .clock(clock);
    }

    AggregateQueries<AccountEvent, AccountState> queries() {
        return new AggregateQueries<>(accounts, codec, store, views);
    }

    /** Queries that also fold past states from the snapshot store. */
    AggregateQueries<AccountEvent, AccountState> queriesWithSnapshots() {
        return new AggregateQueries<>(accounts, codec, store, views, snapshots);
    }

    /** Writes the snapshot the policy would have written after the stream's first {@code revision} commits. */
    Snapshot<AccountState> putSnapshotAt(String id, long revision) {
        Snapshot<AccountState> snapshot = foldTo(id, revision);
        if (!snapshots.save(snapshot)) {
            throw new IllegalStateException("could not save snapshot");
        }
        return snapshot;
    }

    /** The state after the stream's first {@code revision} commits, folded from the start: the reference. */
    Snapshot<AccountState> foldTo(String id, long revision) {
        StreamId stream = streamOf(id);
        Replayer<AccountEvent, AccountState> replayer = new Replayer<>(accounts, codec);
        Snapshot<AccountState> state = Snapshot.initial(stream, accounts.initialState());
        long from = 1;
        while (from <= revision) {
            var slice = memoryStore.read(stream, from, (int) Math.min(1000, revision - from + 1));
            for (var commit : slice.commits()) {
                state = replayer.apply(state, commit);
            }
            if (slice.commits().isEmpty()) {
                break;
            }
            from = slice.nextRevision();
        }
        return state;
    }

    static String newAccountId() {
        return UUID.randomUUID().toString();
    }

    StreamId streamOf(String id) {
        return accounts.streamOf(id);
    }

    /** Appends events straight to the store, as another process would, bypassing the handler and the views. */
    UUID appendDirectly(String id, AccountEvent... events) {
        StreamId stream = streamOf(id);
        List<EventData> data = new ArrayList<>();
        for (AccountEvent e : events) {
            data.add(codec.encode(e));
        }
        UUID commitId = UUID.randomUUID();
        memoryStore.append(stream, ExpectedRevision.ANY, Commit.of(commitId, data));
        return commitId;
    }

    /** Writes the view the projector would have written after the stream's first {@code revision} commits. */
    Snapshot<AccountState> putViewAt(String id, long revision) {
        StreamId stream = streamOf(id);
        Snapshot<AccountState> view = foldTo(id, revision);
        long current = viewStore.get(stream).map(Snapshot::revision).orElse(0L);
        if (!views.put(view, current)) {
            throw new IllegalStateException("could not put view");
        }
        return view;
    }
}
