package io.cairn.postgres;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.InvalidSettingException;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.ExpectedRevision;
import io.cairn.postgres.testing.PostgresStoresExtension;
import io.cairn.postgres.testing.TestPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start-up, schema checks, health, and recovering from lost connections. */
class PostgresStoresTest {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Test
    void without_migrating_a_schema_that_is_not_migrated_is_refused_with_a_clear_message() {
        PostgresStores stores = new PostgresStores(TestPostgres.server().freshSettings().withMigrateOnStart(false));

        assertThatThrownBy(stores::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(stores.settings().schema())
                .hasMessageContaining("migrateOnStart");
        stores.stop();
    }

    @Test
    void without_migrating_a_migrated_schema_starts() {
        PostgresStores migrated = postgres.newStores();
        PostgresStores stores = postgres.newStores(settings -> settings.withSchema(migrated.settings().schema())
                .withMigrateOnStart(false));

        assertThatCode(() -> stores.healthCheck().check()).doesNotThrowAnyException();
        assertThat(stores.eventStore().append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).revision())
                .isEqualTo(1);
    }

    @Test
    void migrate_can_run_before_start_and_again() {
        PostgresStores stores = new PostgresStores(TestPostgres.server().freshSettings().withMigrateOnStart(false));
        stores.migrate();
        stores.migrate();

        stores.start();
        try {
            assertThat(stores.eventStore().revision(aNewStream())).isZero();
        } finally {
            stores.stop();
        }
    }

    @Test
    void events_stored_before_events_had_versions_read_as_version_1_after_the_migration() throws Exception {
        PostgresSettings settings = TestPostgres.server().freshSettings();
        org.flywaydb.core.Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .schemas(settings.schema()).defaultSchema(settings.schema()).createSchemas(true)
                .locations("classpath:io/cairn/postgres/migration").target("3").load().migrate();
        String schema = settings.schema();
        try (Connection connection = TestPostgres.server().connect();
             PreparedStatement append = connection.prepareStatement("SELECT outcome FROM " + schema
                     + ".append_batch(ARRAY['old-1'], ARRAY[0]::bigint[], ARRAY[gen_random_uuid()], ARRAY[2],"
                     + " ARRAY['{}'], ARRAY[1, 1], ARRAY[0, 1], ARRAY['Opened', 'Deposited'],"
                     + " ARRAY['{\"owner\":\"ada\"}', '{\"amount\":5}'], ARRAY['{}', '{}'], 'nobody')")) {
            try (ResultSet row = append.executeQuery()) {
                row.next();
                assertThat(row.getString(1)).as("an append as the release before versions made it").isEqualTo("stored");
            }
        }

        PostgresStores stores = postgres.newStores(ignored -> settings);

        var events = stores.eventStore().read(io.cairn.domain.StreamId.of("old-1"), 1, 10).commits().get(0).events();
        assertThat(events).extracting(io.cairn.domain.EventData::type).containsExactly("Opened", "Deposited");
        assertThat(events).extracting(io.cairn.domain.EventData::version).containsExactly(1, 1);
    }

    @Test
    void stores_used_before_start_say_so() {
        PostgresStores stores = new PostgresStores(TestPostgres.server().freshSettings());

        assertThatThrownBy(() -> stores.eventStore().revision(aNewStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(() -> stores.eventStore().append(aNewStream(), ExpectedRevision.ANY, anyCommit()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    }

    @Test
    void an_unreachable_server_is_store_unavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresStores unreachable = new PostgresStores(PostgresSettings.of(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", "postgres", "")
                .withConnectionTimeout(Duration.ofMillis(500)));

        assertThatThrownBy(unreachable::start).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(String.valueOf(closedPort));
    }

    @Test
    void settings_never_print_the_password_and_refuse_bad_values() {
        PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://db/cairn", "cairn", "s3cret-Pa55");

        assertThat(settings.toString()).doesNotContain("s3cret-Pa55").contains("password=***");
        assertThatThrownBy(() -> settings.withSchema("Robert'); DROP TABLE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withPoolSize(1)).isInstanceOf(IllegalArgumentException.class)
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.field()).isEqualTo("poolSize"));
        assertThatThrownBy(() -> settings.withPollBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withPollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresSettings.of("jdbc:mysql://db/cairn", "cairn", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void the_stores_recover_by_themselves_when_their_connections_are_killed() throws Exception {
        PostgresStores stores = postgres.newStores();
        stores.eventStore().append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());

        assertThat(terminateSessionsOf(stores.settings().schema())).as("sessions terminated").isPositive();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                stores.healthCheck().check();
                stores.eventStore().append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());
                break;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the stores did not recover within 10 s", e);
                }
                Thread.sleep(50);
            }
        }
        assertThat(stores.globalLog().readAll(0, 10).commits()).hasSize(2);
    }

    /** Terminates the sessions of the stores on {@code schema}, as a database restart would. */
    private static long terminateSessionsOf(String schema) throws Exception {
        try (Connection connection = TestPostgres.server().connect();
             PreparedStatement statement = connection.prepareStatement("SELECT count(pg_terminate_backend(pid))"
                     + " FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, "cairn:" + schema);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
