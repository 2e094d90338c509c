package io.cairn.bench;

/**
 * How the HTTP load benchmark sends requests: one request in flight per client thread, each thread on a connection
 * of its own. Implementations are thread-safe for distinct {@code thread} numbers.
 */
interface LoadClient extends AutoCloseable {

    /** Sends a JSON {@code POST} with a fresh {@code Idempotency-Key} and returns the status, once the body is read. */
    int post(int thread, String path, String json) throws Exception;

    /** Sends a {@code GET} and returns the status, once the body is read. */
    int get(int thread, String path) throws Exception;

    @Override
    void close();
}
