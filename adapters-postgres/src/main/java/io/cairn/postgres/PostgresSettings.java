package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.InvalidSettingException;
import io.cairn.application.port.GlobalLog;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL and how the stores behave. Start from {@link #of} and change what differs:
 *
 * <pre>{@code
 * PostgresSettings settings = PostgresSettings.of("jdbc:postgresql://db:5432/cairn", "cairn", secret)
 *         .withPoolSize(16)
 *         .withMigrateOnStart(false);
 * }</pre>
 *
 * @param jdbcUrl           a {@code jdbc:postgresql:} URL
 * @param user              the database user
 * @param password          its password; may be empty (trust or peer authentication), never printed
 * @param schema            where Cairn's tables live: 1-50 characters of {@code [a-z0-9_]}, not starting with a
 *                          digit; several Cairn deployments can share one database in different schemas
 * @param poolSize          the most connections the pool opens, {@code >= 2}; one more is used for LISTEN once a
 *                          durable channel has a subscriber
 * @param connectionTimeout how long a call waits for a pooled connection before it fails with
 *                          {@link io.cairn.application.port.StoreUnavailableException}, at least 250 ms
 * @param migrateOnStart    whether {@link PostgresStores#start()} runs the schema migrations; when false it checks
 *                          that the schema is at the version this code needs and refuses to start otherwise
 * @param pollInterval      how often a durable channel's subscriber looks for new commits when no notification
 *                          woke it: the safety net under LISTEN/NOTIFY, positive
 * @param pollBatchSize     the most commits a subscriber reads in one query, 1 to
 *                          {@link GlobalLog#MAX_SLICE}
 */
public record PostgresSettings(
        String jdbcUrl,
        String user,
        String password,
        String schema,
        int poolSize,
        Duration connectionTimeout,
        boolean migrateOnStart,
        Duration pollInterval,
        int pollBatchSize) {

    public static final String DEFAULT_SCHEMA = "cairn";
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_POLL_BATCH_SIZE = 500;

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,49}");

    public PostgresSettings {
        requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        requireNonNull(user, "user must not be null");
        requireNonNull(password, "password must not be null");
        requireNonNull(schema, "schema must not be null");
        requireNonNull(connectionTimeout, "connectionTimeout must not be null");
        requireNonNull(pollInterval, "pollInterval must not be null");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("jdbcUrl", "must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
        }
        if (user.isEmpty()) {
            throw new InvalidSettingException("user", "must not be empty");
        }
        if (!SCHEMA.matcher(schema).matches()) {
            throw new InvalidSettingException("schema", "must be 1-50 characters of [a-z0-9_], not starting with a digit,"
                    + " was '" + schema + "'");
        }
        if (poolSize < 2) {
            throw new InvalidSettingException("poolSize", "must be >= 2 (the appender holds one connection while it"
                    + " writes), was " + poolSize);
        }
        if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
            throw new InvalidSettingException("connectionTimeout", "must be at least 250 ms, was " + connectionTimeout);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new InvalidSettingException("pollInterval", "must be positive, was " + pollInterval);
        }
        if (pollBatchSize < 1 || pollBatchSize > GlobalLog.MAX_SLICE) {
            throw new InvalidSettingException("pollBatchSize", "must be 1-" + GlobalLog.MAX_SLICE
                    + ", was " + pollBatchSize);
        }
    }

    /** Settings for the given server and credentials, with every other field at its default. */
    public static PostgresSettings of(String jdbcUrl, String user, String password) {
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_SCHEMA, DEFAULT_POOL_SIZE,
                DEFAULT_CONNECTION_TIMEOUT, true, DEFAULT_POLL_INTERVAL, DEFAULT_POLL_BATCH_SIZE);
    }

    public PostgresSettings withSchema(String schema) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    public PostgresSettings withPoolSize(int poolSize) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    public PostgresSettings withConnectionTimeout(Duration connectionTimeout) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    public PostgresSettings withMigrateOnStart(boolean migrateOnStart) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    public PostgresSettings withPollInterval(Duration pollInterval) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    public PostgresSettings withPollBatchSize(int pollBatchSize) {
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, connectionTimeout, migrateOnStart,
                pollInterval, pollBatchSize);
    }

    /** Everything but the password. */
    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, schema=" + schema
                + ", poolSize=" + poolSize + ", connectionTimeout=" + connectionTimeout + ", migrateOnStart="
                + migrateOnStart + ", pollInterval=" + pollInterval + ", pollBatchSize=" + pollBatchSize + "]";
    }
}
