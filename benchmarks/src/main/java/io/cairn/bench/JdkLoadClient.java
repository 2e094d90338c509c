package io.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * {@link java.net.http.HttpClient}, HTTP/1.1: one client for every thread, which opens a connection per request in
 * flight and keeps them alive, so {@code n} threads use {@code n} connections.
 */
final class JdkLoadClient implements LoadClient {

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    JdkLoadClient(URI base) {
        this.base = base;
    }

    @Override
    public int post(int thread, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public int get(int thread, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        // Java 17's HttpClient has no close; its connections go with it
    }
}
