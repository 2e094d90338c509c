package io.cairn.postgres;

import io.cairn.application.port.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Turns JDBC failures into the ports' exceptions: transient faults are {@link StoreUnavailableException}. */
final class SqlErrors {

    /**
     * SQLStates, beyond class 08 (connection exceptions), after which the same call may well succeed: the server
     * shutting down or restarting, too many connections, serialization failure, deadlock.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

    private SqlErrors() {
    }

    /** Whether retrying later may succeed: the server or the connection to it failed, not the statement. */
    static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state)));
    }

    /** Whether PostgreSQL refused a value: class 22, e.g. text that is not valid JSON for {@code jsonb}. */
    static boolean isDataException(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("22");
    }

    /**
     * @param doing what the call was doing, for the message: "appending to account-42"
     * @return a {@link StoreUnavailableException} for a transient fault, otherwise an {@link IllegalStateException}
     */
    static RuntimeException translate(String doing, SQLException e) {
        String message = "PostgreSQL failed while " + doing + ": " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
        return isTransient(e) ? new StoreUnavailableException(message, e) : new IllegalStateException(message, e);
    }
}
