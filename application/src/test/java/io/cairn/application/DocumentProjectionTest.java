package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.projection.Delivery;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.ProjectionShard;
import io.cairn.domain.Commit;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.DocumentHandler;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.ProjectedEvent;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A projection into documents, driven by hand as the ring drives it, on the in-memory stores: an owners projection
 * of the accounts ledger, whose documents are fed by many streams each.
 */
class DocumentProjectionTest {

    /** One owner's accounts and balances per currency. */
    record Owner(String owner, List<String> accounts, Map<String, Long> balances) {
        Owner opened(String account, String currency) {
            TreeSet<String> ids = new TreeSet<>(accounts);
            ids.add(account);
            TreeMap<String, Long> sums = new TreeMap<>(balances);
            sums.putIfAbsent(currency, 0L);
            return new Owner(owner, List.copyOf(ids), sums);
        }

        Owner moved(String currency, long amount) {
            TreeMap<String, Long> sums = new TreeMap<>(balances);
            sums.merge(currency, amount, Long::sum);
            return new Owner(owner, accounts, sums);
        }
    }

    private static final DocumentHandler<AccountEvent, AccountState, Owner> OWNERS = DocumentProjectionTest::owners;

    static List<DocumentChange<Owner>> owners(ProjectedEvent<AccountEvent, AccountState> event) {
        AccountState before = event.stateBefore();
        if (event.event() instanceof AccountEvent.AccountOpened opened) {
            return List.of(DocumentChange.update(opened.owner(), current -> Optional.of(
                    current.orElse(new Owner(opened.owner(), List.of(), Map.of()))
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

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    private final JacksonStateCodec<Owner> documentCodec = new JacksonStateCodec<>(Owner.class, 1);
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDocumentStore<AccountState> documents = new InMemoryDocumentStore<>("owners", checkpoints);
    private final AtomicLong clock = new AtomicLong();

    private Projection<AccountEvent, AccountState> projection(boolean globalOrder,
                                                              DocumentHandler<AccountEvent, AccountState, Owner> h) {
        return Projection.documents("owners", accounts, codec, store, documents, h, documentCodec, 1_000)
                .globalLog(globalOrder ? Optional.of(store) : Optional.empty())
                .gapWait(Duration.ofMillis(5))
                .failurePolicy(2, Duration.ZERO)
                .clock(clock::get)
                .build();
    }

    private RecordedCommit append(String account, AccountEvent... events) {
        StreamId stream = accounts.streamOf(account);
        List<io.cairn.domain.EventData> data = new ArrayList<>();
        for (AccountEvent event : events) {
            data.add(codec.encode(event));
        }
        store.append(stream, ExpectedRevision.ANY, Commit.of(UUID.randomUUID(), data));
        long revision = store.revision(stream);
        return store.read(stream, revision, 1).commits().get(0);
    }

    private Owner owner(String key) {
        return documentCodec.decode(documents.document(key).orElseThrow().json());
    }

    @Test
    void documents_fed_by_several_streams_sum_their_events_in_global_order() {
        List<RecordedCommit> commits = List.of(
                append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0), new AccountEvent.Deposited(100)),
                append("a2", new AccountEvent.AccountOpened("ada", "USD", 0)),
                append("a1", new AccountEvent.Withdrawn(30)),
                append("b1", new AccountEvent.AccountOpened("bob", "EUR", 0)),
                append("a2", new AccountEvent.Deposited(7)));
        Projection<AccountEvent, AccountState> projection = projection(true, OWNERS);
        ProjectionShard<AccountEvent, AccountState> shard = projection.shard(0, 1, Optional.empty());

        for (RecordedCommit commit : commits) {
            shard.accept(commit, Delivery.FAST);
            shard.accept(commit, Delivery.durable(Checkpoint.atPosition(commit.position().getAsLong())));
        }
        shard.endOfBatch();

        assertThat(owner("ada")).isEqualTo(new Owner("ada", List.of("a1", "a2"), Map.of("EUR", 70L, "USD", 7L)));
        assertThat(owner("bob")).isEqualTo(new Owner("bob", List.of("b1"), Map.of("EUR", 0L)));
        assertThat(projection.duplicates()).as("each commit came on both channels").isEqualTo(5);
        assertThat(checkpoints.load("owners")).contains(Checkpoint.atPosition(5));
        assertThat(documents.document("ada").orElseThrow().version()).as("one write per batch").isEqualTo(1);
        assertThat(projection.awaitApplied(commits.get(4).stream(), 2, commits.get(4).position(), Duration.ZERO))
                .isEqualTo(Projection.Awaited.APPLIED);
    }

    @Test
    void a_restart_after_the_documents_were_stored_applies_nothing_twice() {
        RecordedCommit first = append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0));
        RecordedCommit second = append("a1", new AccountEvent.Deposited(5));
        var before = projection(false, OWNERS).shard(0, 1, Optional.empty());
        before.accept(first, Delivery.FAST);
        before.accept(second, Delivery.FAST);
        before.endOfBatch(); // stored, but in stream order no checkpoint was saved: the channel delivers again

        Projection<AccountEvent, AccountState> restarted = projection(false, OWNERS);
        var after = restarted.shard(0, 1, Optional.empty());
        after.accept(first, Delivery.durable(new Checkpoint("s1")));
        after.accept(second, Delivery.durable(new Checkpoint("s2")));
        RecordedCommit third = append("a1", new AccountEvent.Deposited(1));
        after.accept(third, Delivery.durable(new Checkpoint("s3")));
        after.endOfBatch();

        assertThat(owner("ada").balances()).containsEntry("EUR", 6L);
        assertThat(restarted.duplicates()).isEqualTo(2);
    }

    @Test
    void in_stream_order_any_interleaving_of_streams_gives_the_same_documents() {
        Random random = new Random(7);
        List<List<RecordedCommit>> perStream = new ArrayList<>();
        long expected = 0;
        for (int s = 0; s < 20; s++) {
            List<RecordedCommit> commits = new ArrayList<>();
            commits.add(append("acc" + s, new AccountEvent.AccountOpened("hot", "EUR", 0)));
            for (int i = 0; i < 10; i++) {
                long amount = 1 + random.nextInt(100);
                expected += amount;
                commits.add(append("acc" + s, new AccountEvent.Deposited(amount)));
            }
            perStream.add(commits);
        }
        // interleave the streams at random, keeping each stream's order; fast copies come out of order and twice
        List<RecordedCommit> delivery = new ArrayList<>();
        List<Integer> cursors = new ArrayList<>(Collections.nCopies(perStream.size(), 0));
        while (delivery.size() < 20 * 11) {
            int s = random.nextInt(perStream.size());
            if (cursors.get(s) < perStream.get(s).size()) {
                delivery.add(perStream.get(s).get(cursors.get(s)));
                cursors.set(s, cursors.get(s) + 1);
            }
        }
        Projection<AccountEvent, AccountState> projection = projection(false, OWNERS);
        ProjectionShard<AccountEvent, AccountState> shard = projection.shard(0, 1, Optional.empty());
        int n = 0;
        for (RecordedCommit commit : delivery) {
            shard.accept(commit, Delivery.durable(new Checkpoint("c" + n++)));
            if (random.nextInt(4) == 0) {
                shard.accept(commit, Delivery.FAST);
            }
            if (random.nextInt(10) == 0) {
                shard.endOfBatch();
            }
        }
        shard.endOfBatch();

        assertThat(owner("hot").accounts()).hasSize(20);
        assertThat(owner("hot").balances()).containsExactly(Map.entry("EUR", expected));
    }

    @Test
    void a_handler_that_keeps_failing_stops_the_projection_at_its_commit_with_what_came_before_stored() {
        AtomicInteger calls = new AtomicInteger();
        DocumentHandler<AccountEvent, AccountState, Owner> failsOnBigDeposits = event -> {
            if (event.event() instanceof AccountEvent.Deposited deposited && deposited.amount() > 1000) {
                calls.incrementAndGet();
                throw new IllegalStateException("too big: " + deposited.amount());
            }
            return owners(event);
        };
        RecordedCommit opened = append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0));
        RecordedCommit small = append("a1", new AccountEvent.Deposited(5));
        RecordedCommit big = append("a1", new AccountEvent.Deposited(5000));
        RecordedCommit after = append("a1", new AccountEvent.Deposited(1));
        Projection<AccountEvent, AccountState> projection = projection(true, failsOnBigDeposits);
        var shard = projection.shard(0, 1, Optional.empty());

        for (RecordedCommit commit : List.of(opened, small, big, after)) {
            shard.accept(commit, Delivery.durable(Checkpoint.atPosition(commit.position().getAsLong())));
        }
        shard.endOfBatch();
        RecordedCommit later = append("a1", new AccountEvent.Deposited(2));
        shard.accept(later, Delivery.durable(Checkpoint.atPosition(later.position().getAsLong())));
        shard.endOfBatch();

        ProjectionFailure failure = projection.failure();
        assertThat(failure).isNotNull();
        assertThat(failure.stream()).isEqualTo(big.stream());
        assertThat(failure.revision()).isEqualTo(3);
        assertThat(failure.position()).isEqualTo(OptionalLong.of(3));
        assertThat(failure.error()).contains("too big: 5000");
        assertThat(calls).as("tried twice, as the policy says").hasValue(2);
        assertThat(owner("ada").balances()).as("the commits before it, and none after").containsEntry("EUR", 5L);
        assertThat(checkpoints.load("owners")).as("just before the commit it stopped at")
                .contains(Checkpoint.atPosition(2));
        assertThat(documents.get(big.stream()).orElseThrow().revision()).isEqualTo(2);
        assertThat(projection.awaitApplied(later.stream(), later.revision(), later.position(), Duration.ofSeconds(5)))
                .isEqualTo(Projection.Awaited.STOPPED);

        // restarted with the bug fixed, it resumes at that commit
        Projection<AccountEvent, AccountState> fixed = projection(true, OWNERS);
        var resumed = fixed.shard(0, 1, checkpoints.load("owners"));
        for (RecordedCommit commit : List.of(opened, small, big, after, later)) {
            resumed.accept(commit, Delivery.durable(Checkpoint.atPosition(commit.position().getAsLong())));
        }
        resumed.endOfBatch();
        assertThat(fixed.failure()).isNull();
        assertThat(owner("ada").balances()).containsEntry("EUR", 5008L);
    }

    @Test
    void a_document_too_large_for_the_store_stops_the_projection_naming_it() {
        String huge = "x".repeat((int) InMemoryDocumentStore.MAX_DOCUMENT_BYTES);
        DocumentHandler<AccountEvent, AccountState, Owner> bloats = event -> event.event()
                instanceof AccountEvent.AccountOpened opened && opened.owner().equals("big")
                ? List.of(DocumentChange.put("big", new Owner(huge, List.of(), Map.of())))
                : owners(event);
        RecordedCommit fine = append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0));
        RecordedCommit big = append("a2", new AccountEvent.AccountOpened("big", "EUR", 0));
        Projection<AccountEvent, AccountState> projection = projection(true, bloats);
        var shard = projection.shard(0, 1, Optional.empty());

        shard.accept(fine, Delivery.durable(Checkpoint.atPosition(1)));
        shard.accept(big, Delivery.durable(Checkpoint.atPosition(2)));
        shard.endOfBatch();

        assertThat(projection.failure().error()).contains("'big'").contains("owners").contains("bytes");
        assertThat(projection.failure().stream()).isEqualTo(big.stream());
        assertThat(documents.document("ada")).isPresent();
        assertThat(documents.document("big")).isEmpty();
        assertThat(checkpoints.load("owners")).contains(Checkpoint.atPosition(1));
    }

    @Test
    void two_processes_racing_on_the_same_documents_apply_each_commit_once() {
        List<RecordedCommit> commits = new ArrayList<>();
        commits.add(append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0)));
        commits.add(append("a2", new AccountEvent.AccountOpened("ada", "EUR", 0)));
        for (int i = 0; i < 30; i++) {
            commits.add(append(i % 2 == 0 ? "a1" : "a2", new AccountEvent.Deposited(i + 1)));
        }
        var one = projection(false, OWNERS).shard(0, 1, Optional.empty());
        var two = projection(false, OWNERS).shard(0, 1, Optional.empty());

        for (int i = 0; i < commits.size(); i++) {
            one.accept(commits.get(i), Delivery.durable(new Checkpoint("x" + i)));
            if (i % 3 == 0) {
                one.endOfBatch();
            }
            two.accept(commits.get(i), Delivery.durable(new Checkpoint("x" + i)));
            if (i % 4 == 0) {
                two.endOfBatch();
            }
        }
        one.endOfBatch();
        two.endOfBatch();

        assertThat(owner("ada").balances()).containsEntry("EUR", 30L * 31 / 2);
    }

    @Test
    void stored_documents_are_the_json_of_the_document_type() {
        append("a1", new AccountEvent.AccountOpened("ada", "EUR", 0));
        var shard = projection(true, OWNERS).shard(0, 1, Optional.empty());
        shard.accept(store.read(accounts.streamOf("a1"), 1, 1).commits().get(0), Delivery.FAST);
        shard.endOfBatch();

        StoredDocument stored = documents.document("ada").orElseThrow();
        assertThat(stored.json()).isEqualTo("{\"owner\":\"ada\",\"accounts\":[\"a1\"],\"balances\":{\"EUR\":0}}");
    }
}
