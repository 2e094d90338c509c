package io.cairn.application.port;

/**
 * Why the current thread is calling a store: commands, queries, projections and snapshot writes mark the work
 * they do, so that an adapter can account for the cost of each (DynamoDB counts its capacity units by purpose).
 * A thread-local mark, set with try-with-resources:
 *
 * <pre>{@code
 * try (Purpose.Scope ignored = Purpose.COMMAND.enter()) {
 *     ... calls into the stores ...
 * }
 * }</pre>
 */
public enum Purpose {
    COMMAND,
    QUERY,
    PROJECTION,
    SNAPSHOT,
    /** Anything not marked: health checks, start-up, tools. */
    OTHER;

    private static final ThreadLocal<Purpose> CURRENT = ThreadLocal.withInitial(() -> OTHER);

    /** The purpose of the innermost open scope on this thread, {@link #OTHER} when there is none. */
    public static Purpose current() {
        return CURRENT.get();
    }

    /** Marks this thread's store calls with this purpose until the returned scope is closed. */
    public Scope enter() {
        Purpose previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    /** An open mark; closing restores the purpose that was current before it. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
