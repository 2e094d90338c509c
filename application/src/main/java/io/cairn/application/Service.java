package io.cairn.application;

/**
 * Something with a life: a server, a pool, a projector, an embedded database. The bootstrap starts services in
 * order and stops them in reverse order.
 */
public interface Service {

    /** A short name for logs. */
    String name();

    /** Starts; returns when the service is ready. Throws when it cannot start. */
    void start() throws Exception;

    /** Stops and releases everything; safe to call when not started or already stopped. */
    void stop();
}
