package io.cairn.application.port;

/**
 * The store did not answer or answered with a fault of its own (timeout, throttling, connection refused).
 * Transient: the same call may succeed later. An append that fails this way may or may not have been stored;
 * retrying it with the same commitId is safe.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
