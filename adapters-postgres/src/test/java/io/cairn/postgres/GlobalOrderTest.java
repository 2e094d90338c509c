package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Subscription;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.postgres.testing.PostgresStoresExtension;
import io.cairn.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The global order as a subscriber sees it: a commit at a lower position that commits after a higher one is
 * impossible (the later append waits), aborted transactions leave no hole, many concurrent writers are delivered
 * exactly once and in order, and a subscriber resumes from its checkpoint. One test runs the same interleaving
 * against a plain sequence-numbered table, to show that the reading method would skip a commit there.
 */
class GlobalOrderTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private PostgresStores stores;
    private EventStore store;
    private String schema;

    @BeforeEach
    void startStores() {
        stores = postgres.newStores(settings -> settings.withPollInterval(Duration.ofMillis(50)));
        store = stores.eventStore();
        schema = stores.settings().schema();
    }

    @AfterEach
    void stopSubscriptionsAndThreads() {
        subscriptions.forEach(Subscription::close);
        executor.shutdownNow();
    }

    @Test
    void an_append_waits_for_a_transaction_holding_a_lower_position_and_the_subscriber_skips_nothing()
            throws Exception {
        store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());
        Deliveries deliveries = subscribeFromTheStart();
        deliveries.awaitCount(1, WAIT);

        try (CounterLockHolder otherProcess = new CounterLockHolder(schema)) {
            long lower = otherProcess.appendByHand("other-process");
            Future<AppendResult> higher = executor.submit(
                    () -> store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()));

            otherProcess.awaitAnAppenderWaiting(WAIT);
            assertThatThrownBy(() -> higher.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(deliveries.positions()).as("delivered while position " + lower + " is uncommitted")
                    .containsExactly(1L);

            otherProcess.commit();
            assertThat(higher.get(WAIT.toSeconds(), TimeUnit.SECONDS).commit().position()).hasValue(lower + 1);
        }

        assertThat(deliveries.awaitCount(3, WAIT)).extracting(c -> c.position().getAsLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(deliveries.commits().get(1).stream()).isEqualTo(StreamId.of("other-process"));
    }

    @Test
    void an_aborted_transaction_gives_its_position_back_and_nothing_stalls() throws Exception {
        store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());
        Deliveries deliveries = subscribeFromTheStart();
        deliveries.awaitCount(1, WAIT);

        Future<AppendResult> next;
        try (CounterLockHolder otherProcess = new CounterLockHolder(schema)) {
            long taken = otherProcess.appendByHand("aborted");
            next = executor.submit(() -> store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()));
            otherProcess.awaitAnAppenderWaiting(WAIT);

            otherProcess.rollback();
            assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS).commit().position())
                    .as("the position the aborted transaction had taken").hasValue(taken);
        }
        RecordedCommit after = store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(after.position()).hasValue(3);
        assertThat(deliveries.awaitCount(3, WAIT)).extracting(c -> c.position().getAsLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(store.revision(StreamId.of("aborted"))).isZero();
    }

    /** The method the durable channel reads by ({@code position > last}) over a sequence: the classic bug. */
    @Test
    void a_sequence_numbered_log_read_the_same_way_would_skip_a_commit() throws Exception {
        try (Connection setup = TestPostgres.server().connect();
             Connection slow = TestPostgres.server().connect();
             Connection fast = TestPostgres.server().connect();
             Connection reader = TestPostgres.server().connect()) {
            execute(setup, "CREATE TABLE " + schema + ".sequence_log (position bigserial PRIMARY KEY, note text)");
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);

            execute(slow, "INSERT INTO " + schema + ".sequence_log (note) VALUES ('slow')");
            execute(fast, "INSERT INTO " + schema + ".sequence_log (note) VALUES ('fast')");
            fast.commit();
            List<Long> delivered = new ArrayList<>(positionsAfter(reader, 0));
            slow.commit();
            delivered.addAll(positionsAfter(reader, delivered.get(delivered.size() - 1)));

            assertThat(positionsAfter(reader, 0)).as("stored").containsExactly(1L, 2L);
            assertThat(delivered).as("delivered by position > last").containsExactly(2L);
        }
    }

    @Test
    void sixteen_writers_of_five_thousand_commits_are_delivered_exactly_once_in_order_at_positions_1_to_80000()
            throws Exception {
        int writers = 16;
        int commitsEach = 5_000;
        Deliveries deliveries = subscribeFromTheStart();
        Map<StreamId, List<UUID>> appended = new HashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            StreamId stream = aNewStream();
            List<UUID> ids = new ArrayList<>(commitsEach);
            appended.put(stream, ids);
            running.add(executor.submit(() -> {
                for (int i = 0; i < commitsEach; i++) {
                    var commit = anyCommit();
                    store.append(stream, ExpectedRevision.exactly(i), commit);
                    ids.add(commit.commitId());
                }
                return null;
            }));
        }
        for (Future<?> writer : running) {
            writer.get(2, TimeUnit.MINUTES);
        }

        List<RecordedCommit> delivered = deliveries.awaitCount(writers * commitsEach, Duration.ofMinutes(1));

        assertThat(delivered).extracting(c -> c.position().getAsLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) writers * commitsEach).boxed().toList());
        Map<StreamId, List<UUID>> byStream = delivered.stream().collect(Collectors.groupingBy(
                RecordedCommit::stream, Collectors.mapping(RecordedCommit::commitId, Collectors.toList())));
        assertThat(byStream).isEqualTo(appended);
    }

    @Test
    void a_stopped_subscriber_resumes_from_its_saved_checkpoint_while_writers_keep_appending() throws Exception {
        CheckpointStore checkpoints = stores.checkpointStore();
        String projection = "resuming-" + UUID.randomUUID();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(executor.submit(() -> {
                StreamId stream = aNewStream();
                for (int i = 0; i < 400; i++) {
                    store.append(stream, ExpectedRevision.exactly(i), anyCommit());
                }
                return null;
            }));
        }
        Deliveries first = new Deliveries();
        Subscription subscription = stores.durableChannel().subscribe(Optional.empty(), (commit, checkpoint) -> {
            first.onCommit(commit, checkpoint);
            checkpoints.save(projection, checkpoint);
        });
        first.awaitCount(300, WAIT);
        subscription.close();

        Deliveries second = new Deliveries();
        subscriptions.add(stores.durableChannel().subscribe(checkpoints.load(projection), second));
        for (Future<?> writer : running) {
            writer.get(1, TimeUnit.MINUTES);
        }
        second.awaitCount(1_600 - first.commits().size(), WAIT);

        List<Long> positions = new ArrayList<>(first.positions());
        positions.addAll(second.positions());
        assertThat(positions).containsExactlyElementsOf(LongStream.rangeClosed(1, 1_600).boxed().toList());
        assertThat(checkpoints.load(projection)).isPresent();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Deliveries subscribeFromTheStart() {
        Deliveries deliveries = new Deliveries();
        subscriptions.add(stores.durableChannel().subscribe(Optional.empty(), deliveries));
        return deliveries;
    }

    private List<Long> positionsAfter(Connection reader, long last) throws SQLException {
        List<Long> positions = new ArrayList<>();
        try (PreparedStatement statement = reader.prepareStatement(
                "SELECT position FROM " + schema + ".sequence_log WHERE position > ? ORDER BY position")) {
            statement.setLong(1, last);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getLong(1));
                }
            }
        }
        return positions;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
