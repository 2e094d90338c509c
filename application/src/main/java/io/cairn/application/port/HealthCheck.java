package io.cairn.application.port;

/** A dependency that can answer whether it is reachable, for {@code GET /health}. Thread-safe. */
public interface HealthCheck {

    /** A short name, e.g. {@code event-store}. */
    String name();

    /**
     * Returns when the dependency answers.
     *
     * @throws StoreUnavailableException when it does not
     */
    void check();
}
