package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.cairn.application.port.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The connection pool and the schema every store of one {@link PostgresStores} works in. The pool exists between
 * {@link #open()} and {@link #close()}; the stores can be built before, and fail with {@link IllegalStateException}
 * when used outside that time. Thread-safe.
 */
final class Database implements AutoCloseable {

    private final PostgresSettings settings;
    private volatile HikariDataSource pool;

    Database(PostgresSettings settings) {
        this.settings = requireNonNull(settings, "settings must not be null");
    }

    /** Opens the pool, connecting once to fail early when the server cannot be reached. */
    synchronized void open() {
        if (pool != null) {
            return;
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("cairn-" + settings.schema());
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setDataSourceProperties(driverProperties(settings));
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreUnavailableException("cannot connect to PostgreSQL at " + settings.jdbcUrl() + " as "
                    + settings.user() + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    /** A pooled connection in auto-commit mode; closing it returns it to the pool. */
    Connection connection() throws SQLException {
        HikariDataSource current = pool;
        if (current == null) {
            throw new IllegalStateException("the PostgreSQL stores are not started (or already stopped)");
        }
        return current.getConnection();
    }

    /**
     * A connection of its own, outside the pool, for a long-lived session such as LISTEN. The caller closes it.
     */
    Connection dedicatedConnection() throws SQLException {
        Properties properties = driverProperties(settings);
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    <T> T call(String doing, SqlWork<T> work) {
        try (Connection connection = connection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(doing, e);
        }
    }

    /** {@code template} with every {@code {schema}} replaced by this store's schema. */
    String sql(String template) {
        return template.replace("{schema}", settings.schema());
    }

    /** The NOTIFY channel on which appends announce new commits. */
    String notificationChannel() {
        return settings.schema() + "_commits";
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    /** The driver's settings; the application name tells the sessions of each Cairn schema apart in psql. */
    private static Properties driverProperties(PostgresSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "cairn:" + settings.schema());
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** Work against a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
