package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.Subscription;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md, "Bad input and faults": a store outage never loses an acknowledged commit, and the service recovers by
 * itself when the store returns. Against a DynamoDB Local of this test's own, with its tables in a folder, stopped
 * and started again on the same port: the same {@link DynamoDbStores} (never reopened) fails fast while it is down
 * and serves again once it is back, and a Streams subscription that ran through the outage goes on delivering.
 */
@Timeout(60)
class DynamoDbOutageTest {

    /**
     * The most a call may take to fail while DynamoDB is down: a caller must get its 503 quickly, not hang. A refused
     * connection fails in well under a second (3 attempts, 1 s connect timeout, jittered backoff); a DynamoDB that
     * accepts but never answers is cut by the SDK's 5-second call timeout (see {@link DynamoDbStores}).
     */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(10);
    /** How long the subscription may take to deliver, its retry pause and a stream poll included. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path data;

    private EmbeddedDynamoDb server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void an_outage_loses_no_acknowledged_commit_and_the_same_stores_recover_when_dynamodb_returns() {
        server = EmbeddedDynamoDb.persistentIn(data);
        int port = server.endpoint().getPort();
        DynamoDbSettings settings = DynamoDbSettings.local(server.endpoint())
                .withStreamsPollInterval(LocalDynamoDb.POLL_INTERVAL);
        try (DynamoDbStores stores = DynamoDbStores.open(settings, Optional.empty())) {
            EventStore store = stores.eventStore();
            DurableChannel channel = stores.durableChannel();
            Recorder recorder = new Recorder();
            Subscription subscription = channel.subscribe(Optional.empty(), recorder);
            try {
                StreamId a = aNewStream();
                StreamId b = aNewStream();
                List<RecordedCommit> acknowledged = new ArrayList<>();
                acknowledged.add(append(store, a, ExpectedRevision.NO_STREAM, anyCommit()));
                acknowledged.add(append(store, b, ExpectedRevision.NO_STREAM, anyCommit()));
                acknowledged.add(append(store, a, ExpectedRevision.exactly(1), anyCommit()));
                recorder.awaitDelivered(ids(acknowledged), DELIVERY_TIMEOUT);

                server.close();

                Commit duringOutage = anyCommit();
                assertUnavailableQuickly(() -> store.append(a, ExpectedRevision.exactly(2), duringOutage));
                assertUnavailableQuickly(() -> store.read(a, 1, 10));
                assertUnavailableQuickly(() -> store.revision(b));
                assertUnavailableQuickly(() -> store.append(b, ExpectedRevision.ANY, anyCommit()));

                server = EmbeddedDynamoDb.persistentIn(data, port);

                // the commit that failed during the outage, retried with its id: it had not been stored
                AppendResult retried = store.append(a, ExpectedRevision.exactly(2), duringOutage);
                assertThat(retried.duplicate()).as("stored during the outage").isFalse();
                assertThat(retried.commit().revision()).isEqualTo(3);
                acknowledged.add(retried.commit());
                acknowledged.add(append(store, b, ExpectedRevision.exactly(1), anyCommit()));
                acknowledged.add(append(store, aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()));

                assertThat(store.read(a, 1, 10).commits()).extracting(RecordedCommit::commitId)
                        .containsExactly(acknowledged.get(0).commitId(), acknowledged.get(2).commitId(),
                                duringOutage.commitId());
                assertThat(store.read(b, 1, 10).commits()).extracting(RecordedCommit::commitId)
                        .containsExactly(acknowledged.get(1).commitId(), acknowledged.get(4).commitId());
                assertThat(recorder.awaitDelivered(ids(acknowledged), DELIVERY_TIMEOUT))
                        .as("commits the subscription delivered across the outage")
                        .containsAll(ids(acknowledged));
            } finally {
                subscription.close();
            }
        }
    }

    @Test
    void after_an_outage_no_call_noticed_the_first_calls_succeed_over_the_connections_it_left_stale() {
        server = EmbeddedDynamoDb.persistentIn(data);
        int port = server.endpoint().getPort();
        try (DynamoDbStores stores = DynamoDbStores.open(DynamoDbSettings.local(server.endpoint()), Optional.empty())) {
            EventStore store = stores.eventStore();
            StreamId stream = aNewStream();
            RecordedCommit before = append(store, stream, ExpectedRevision.NO_STREAM, anyCommit());

            // the pool's keep-alive connections now lead to a server that is gone
            server.close();
            server = EmbeddedDynamoDb.persistentIn(data, port);

            RecordedCommit after = append(store, stream, ExpectedRevision.exactly(1), anyCommit());
            assertThat(store.read(stream, 1, 10).commits()).extracting(RecordedCommit::commitId)
                    .containsExactly(before.commitId(), after.commitId());
        }
    }

    private static RecordedCommit append(EventStore store, StreamId stream, ExpectedRevision expected, Commit commit) {
        AppendResult result = store.append(stream, expected, commit);
        assertThat(result.duplicate()).isFalse();
        return result.commit();
    }

    private static void assertUnavailableQuickly(Runnable call) {
        long start = System.nanoTime();
        Throwable failure = catchThrowable(call::run);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failure).isInstanceOf(StoreUnavailableException.class);
        assertThat(took).as("time to fail while DynamoDB is down").isLessThan(FAILS_WITHIN);
    }

    private static Set<UUID> ids(Collection<RecordedCommit> commits) {
        return commits.stream().map(RecordedCommit::commitId).collect(Collectors.toSet());
    }

    /** Records the ids of delivered commits and lets the test wait, with a deadline, for those it expects. */
    private static final class Recorder implements DurableChannel.Listener {

        private final Set<UUID> delivered = new HashSet<>();

        @Override
        public synchronized void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
            delivered.add(commit.commitId());
            notifyAll();
        }

        /** Every id delivered so far, once {@code expected} all are; fails after {@code timeout}. */
        synchronized Set<UUID> awaitDelivered(Set<UUID> expected, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!delivered.containsAll(expected)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Set<UUID> missing = new HashSet<>(expected);
                    missing.removeAll(delivered);
                    throw new AssertionError("not delivered within " + timeout + ": " + missing);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for deliveries", e);
                }
            }
            return Set.copyOf(delivered);
        }
    }
}
