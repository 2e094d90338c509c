package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.NotificationChannel;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.account.AccountEvent;
import io.cairn.domain.account.AccountEvent.AccountOpened;
import io.cairn.domain.account.AccountEvent.Deposited;
import io.cairn.domain.account.AccountState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The projector on a view store that commits views and checkpoint in one transaction (as PostgreSQL's does). */
class TransactionalProjectionTest {

    private final Ledger ledger = new Ledger();
    private final AtomicTables tables = new AtomicTables();
    private final CachingViewStore<AccountState> cached = CachingViewStore.over(tables, 100);
    private final Projector<?, AccountState> projector = new Projector<>("accounts-view", ledger.accounts,
            ledger.codec, ledger.memoryStore, cached, tables.checkpoints(),
            NotificationChannel.of(ledger.durableChannel, ledger.fastChannel));

    @Test
    void the_cache_in_front_of_a_transactional_store_is_transactional_too() {
        assertThat(cached).isInstanceOf(TransactionalViewStore.class);
        assertThat(CachingViewStore.over(new InMemoryViewStore<AccountState>(), 100))
                .isNotInstanceOf(TransactionalViewStore.class);
    }

    @Test
    void a_durable_delivery_writes_its_view_and_checkpoint_in_one_transaction() {
        RecordedCommit commit = appendDirectly(new AccountOpened("Ada", "EUR", 0));
        Checkpoint at = Checkpoint.atPosition(commit.position().getAsLong());

        projector.onDurable(commit, at);

        assertThat(tables.transactions.get()).isEqualTo(1);
        assertThat(tables.separateCheckpointSaves.get()).as("checkpoints saved outside a transaction").isZero();
        assertThat(tables.checkpoints().load("accounts-view")).contains(at);
        assertThat(tables.get(commit.stream())).map(Snapshot::revision).contains(1L);
        assertThat(cached.get(commit.stream())).map(Snapshot::revision).contains(1L);
    }

    @Test
    void a_failed_transaction_leaves_neither_the_view_nor_the_checkpoint_and_the_redelivery_applies_once() {
        String id = Ledger.newAccountId();
        RecordedCommit opened = appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        projector.onDurable(opened, Checkpoint.atPosition(opened.position().getAsLong()));
        RecordedCommit deposited = appendDirectly(id, new Deposited(5));
        Checkpoint at = Checkpoint.atPosition(deposited.position().getAsLong());
        tables.failNext = true;

        assertThatThrownBy(() -> projector.onDurable(deposited, at)).isInstanceOf(StoreUnavailableException.class);
        assertThat(tables.checkpoints().load("accounts-view")).isNotEqualTo(Optional.of(at));
        assertThat(tables.get(opened.stream())).map(Snapshot::revision).contains(1L);

        projector.onDurable(deposited, at); // the channel delivers it again
        projector.onDurable(deposited, at); // and once more: a duplicate

        assertThat(tables.checkpoints().load("accounts-view")).contains(at);
        assertThat(tables.get(opened.stream()).orElseThrow().state().balance()).isEqualTo(5);
        assertThat(projector.applied()).isEqualTo(2);
        assertThat(projector.duplicates()).isEqualTo(1);
    }

    @Test
    void a_fast_hint_writes_the_view_without_a_checkpoint() {
        RecordedCommit commit = appendDirectly(new AccountOpened("Ada", "EUR", 0));

        projector.onFast(commit);

        assertThat(tables.get(commit.stream())).map(Snapshot::revision).contains(1L);
        assertThat(tables.checkpoints().load("accounts-view")).isEmpty();
        assertThat(tables.transactions.get()).isZero();
    }

    private RecordedCommit appendDirectly(AccountOpened opened) {
        return appendDirectly(Ledger.newAccountId(), opened);
    }

    /** Appends to the account's stream and returns the commit as stored. */
    private RecordedCommit appendDirectly(String id, AccountEvent event) {
        StreamId stream = ledger.streamOf(id);
        ledger.appendDirectly(id, event);
        return ledger.memoryStore.read(stream, ledger.memoryStore.revision(stream), 1).commits().get(0);
    }

    /** Views and checkpoints under one lock: a transaction is all of its writes or none. */
    private static final class AtomicTables implements TransactionalViewStore<AccountState> {

        final InMemoryViewStore<AccountState> views = new InMemoryViewStore<>();
        final InMemoryCheckpointStore checkpointTable = new InMemoryCheckpointStore();
        final AtomicInteger transactions = new AtomicInteger();
        final AtomicInteger separateCheckpointSaves = new AtomicInteger();
        volatile boolean failNext;

        @Override
        public synchronized Optional<Snapshot<AccountState>> get(StreamId stream) {
            return views.get(stream);
        }

        @Override
        public synchronized boolean put(Snapshot<AccountState> view, long replacing) {
            return views.put(view, replacing);
        }

        @Override
        public synchronized boolean putAll(List<ViewWrite<AccountState>> writes, String projection,
                                           Checkpoint checkpoint) {
            if (failNext) {
                failNext = false;
                throw new StoreUnavailableException("the database went away mid-transaction", null);
            }
            for (ViewWrite<AccountState> write : writes) {
                if (views.get(write.view().stream()).map(Snapshot::revision).orElse(0L) != write.replacing()) {
                    return false;
                }
            }
            writes.forEach(write -> views.put(write.view(), write.replacing()));
            checkpointTable.save(projection, checkpoint);
            transactions.incrementAndGet();
            return true;
        }

        @Override
        public CheckpointStore checkpoints() {
            return new CheckpointStore() {
                @Override
                public Optional<Checkpoint> load(String projection) {
                    return checkpointTable.load(projection);
                }

                @Override
                public void save(String projection, Checkpoint checkpoint) {
                    separateCheckpointSaves.incrementAndGet();
                    checkpointTable.save(projection, checkpoint);
                }
            };
        }
    }
}
