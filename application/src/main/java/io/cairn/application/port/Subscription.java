package io.cairn.application.port;

/** A running delivery of commits; closing it stops the deliveries. Idempotent. */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
