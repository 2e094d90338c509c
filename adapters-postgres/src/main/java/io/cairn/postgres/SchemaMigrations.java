package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/** Cairn's tables, created and upgraded by Flyway in the configured schema. */
final class SchemaMigrations {

    private static final String LOCATION = "classpath:io/cairn/postgres/migration";

    private final PostgresSettings settings;

    SchemaMigrations(PostgresSettings settings) {
        this.settings = requireNonNull(settings, "settings must not be null");
    }

    /** Creates the schema if needed and applies every migration not applied yet. */
    void migrate() {
        try {
            flyway().migrate();
        } catch (FlywayException e) {
            throw failure("migrating", e);
        }
    }

    /**
     * @throws IllegalStateException when a migration this code needs has not been applied, naming the versions
     */
    void verify() {
        MigrationInfoService info;
        try {
            info = flyway().info();
        } catch (FlywayException e) {
            throw failure("checking", e);
        }
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            MigrationInfo current = info.current();
            throw new IllegalStateException("PostgreSQL schema '" + settings.schema() + "' at " + settings.jdbcUrl()
                    + " is at version " + (current == null ? "none (no Cairn tables)" : current.getVersion())
                    + " but this Cairn needs migrations " + Arrays.stream(pending)
                            .map(m -> m.getVersion() + " (" + m.getDescription() + ")")
                            .collect(Collectors.joining(", "))
                    + ": start once with migrateOnStart enabled, or call PostgresStores.migrate()");
        }
    }

    /** A {@link StoreUnavailableException} when the server could not be reached, else an IllegalStateException. */
    private RuntimeException failure(String doing, FlywayException e) {
        String message = doing + " PostgreSQL schema '" + settings.schema() + "' at " + settings.jdbcUrl()
                + " failed: " + e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && SqlErrors.isTransient(sql)) {
                return new StoreUnavailableException(message, e);
            }
        }
        return new IllegalStateException(message, e);
    }

    private Flyway flyway() {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .schemas(settings.schema())
                .defaultSchema(settings.schema())
                .createSchemas(true)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load();
    }
}
