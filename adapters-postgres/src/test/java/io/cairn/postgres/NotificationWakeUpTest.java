package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Subscription;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.postgres.testing.PostgresStoresExtension;
import io.cairn.postgres.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber whose poll interval is long is woken by LISTEN/NOTIFY as soon as a commit is appended, by this
 * process or another one on the same schema, and again after its LISTEN connection was lost and re-opened. A wake
 * for commits the subscriber says it already has by other means ({@code hasThrough}) reads nothing.
 */
class NotificationWakeUpTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private PostgresStores subscriberSide;
    private Ahead deliveries;
    private Subscription subscription;

    @BeforeEach
    void subscribeWithALongPollInterval() throws InterruptedException {
        subscriberSide = postgres.newStores(settings -> settings.withPollInterval(LONG_POLL));
        deliveries = new Ahead();
        subscription = subscriberSide.durableChannel().subscribe(Optional.empty(), deliveries);
        awaitListening();
    }

    @AfterEach
    void unsubscribe() {
        subscription.close();
    }

    @Test
    void an_append_in_the_same_process_wakes_the_subscriber_long_before_its_poll_interval() {
        RecordedCommit appended = subscriberSide.eventStore()
                .append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(deliveries.awaitCount(1, PROMPTLY)).extracting(RecordedCommit::commitId)
                .containsExactly(appended.commitId());
    }

    @Test
    void an_append_by_another_process_wakes_the_subscriber_long_before_its_poll_interval() {
        PostgresStores otherProcess = postgres.newStores(settings -> settings.withSchema(schema()));

        RecordedCommit appended = otherProcess.eventStore()
                .append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(deliveries.awaitCount(1, PROMPTLY)).extracting(RecordedCommit::commitId)
                .containsExactly(appended.commitId());
    }

    @Test
    void a_lost_listen_connection_is_opened_again_and_wakes_the_subscriber_again() throws Exception {
        int terminated = terminateListeningSessions();
        assertThat(terminated).as("LISTEN sessions terminated").isEqualTo(1);
        awaitListening();

        RecordedCommit appended = subscriberSide.eventStore()
                .append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(deliveries.awaitCount(1, PROMPTLY)).extracting(RecordedCommit::commitId)
                .containsExactly(appended.commitId());
    }

    @Test
    void a_wake_for_commits_the_subscriber_already_has_reads_nothing_and_delivers_nothing() throws Exception {
        deliveries.had = Long.MAX_VALUE; // a gate that the fast channel fed, ahead of everything appended
        for (int i = 0; i < 5; i++) {
            append();
        }
        awaitSkipped(1);
        Thread.sleep(1_000); // every NOTIFY of the five taken in

        deliveries.had = 0; // now it has nothing by other means
        RecordedCommit sixth = append();

        assertThat(deliveries.awaitCount(1, PROMPTLY)).extracting(RecordedCommit::commitId)
                .containsExactly(sixth.commitId());
        assertThat(deliveries.positions()).as("positions delivered").containsExactly(6L);
    }

    @Test
    void a_subscriber_ahead_of_the_channel_is_given_what_it_does_not_have_once_the_grace_is_over()
            throws InterruptedException {
        deliveries.had = 2;
        append();
        awaitSkipped(1);
        append();
        awaitSkipped(2);

        append(); // it says it has through 2 only: the third is read and delivered after the grace

        assertThat(deliveries.awaitCount(1, PROMPTLY)).extracting(c -> c.position().getAsLong()).containsExactly(3L);
        assertThat(channel().readsSkipped()).isEqualTo(2);
    }

    private RecordedCommit append() {
        return subscriberSide.eventStore().append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();
    }

    private PostgresDurableChannel channel() {
        return (PostgresDurableChannel) subscriberSide.durableChannel();
    }

    private void awaitSkipped(long skipped) throws InterruptedException {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (channel().readsSkipped() < skipped) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + PROMPTLY + ", " + channel().readsSkipped() + " of " + skipped
                        + " reads were skipped");
            }
            Thread.sleep(1);
        }
    }

    /** Records deliveries, and says it has every commit through {@code had} by other means. */
    private static final class Ahead extends Deliveries {
        volatile long had;

        @Override
        public long hasThrough() {
            return had;
        }
    }

    private String schema() {
        return subscriberSide.settings().schema();
    }

    private String listenStatement() {
        return "LISTEN " + schema() + "_commits";
    }

    /** Waits until a session LISTENs on the schema's channel, and the subscriber has settled into its wait. */
    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (listeningSessions() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody LISTENs on " + schema() + "_commits");
            }
            Thread.sleep(20);
        }
        // the wake-up on (re)connecting makes the subscriber poll once more; let it finish and wait again
        Thread.sleep(200);
    }

    private long listeningSessions() {
        return countOrTerminate("SELECT count(*) FROM pg_stat_activity WHERE query = ? AND state = 'idle'");
    }

    private int terminateListeningSessions() {
        return (int) countOrTerminate("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = ?");
    }

    private long countOrTerminate(String sql) {
        try (Connection connection = TestPostgres.server().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, listenStatement());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
