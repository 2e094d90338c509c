package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.HealthCheck;
import java.sql.Statement;

/** Answers when PostgreSQL answers {@code SELECT 1} on a pooled connection. */
final class PostgresHealthCheck implements HealthCheck {

    private final Database db;

    PostgresHealthCheck(Database db) {
        this.db = requireNonNull(db, "db must not be null");
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void check() {
        db.call("checking health", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            return null;
        });
    }
}
