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
 * process or another one on the same schema, and again after its LISTEN connection was lost and re-opened.
 */
class NotificationWakeUpTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    private static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private PostgresStores subscriberSide;
    private Deliveries deliveries;
    private Subscription subscription;

    @BeforeEach
    void subscribeWithALongPollInterval() throws InterruptedException {
        subscriberSide = postgres.newStores(settings -> settings.withPollInterval(LONG_POLL));
        deliveries = new Deliveries();
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
