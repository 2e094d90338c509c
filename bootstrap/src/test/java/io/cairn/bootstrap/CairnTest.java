package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.bootstrap.CairnConfig.InvalidConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wired application, in-process, over a real socket. */
class CairnTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Cairn cairn;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.stop();
        }
    }

    @Test
    void the_wired_service_takes_commands_and_its_projector_brings_the_view_up_to_date() throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1")));
        String account = UUID.randomUUID().toString();

        assertThat(post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> deposit = post("/accounts/" + account + "/deposit", "{\"amount\":100}");
        assertThat(deposit.statusCode()).isEqualTo(200);
        assertThat(deposit.body()).contains("\"revision\":2");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body;
        do {
            body = get("/accounts/" + account + "?consistency=eventual").body();
        } while (!body.contains("\"revision\":2") && System.nanoTime() < deadline);
        assertThat(body).contains("\"balance\":100").contains("\"revision\":2");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        String applied = "cairn_projector_applied_total{projection=\"accounts-view\"} 2.0";
        String metrics;
        do { // the counter moves right after the view write the query saw
            metrics = get("/metrics").body();
        } while (!metrics.contains(applied) && System.nanoTime() < deadline);
        assertThat(metrics).contains("cairn_projector_applied_total{projection=\"accounts-view\"} 2.0")
                .contains("cairn_fast_channel_published_total 2.0")
                .contains("cairn_commands_conflicts_total")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void a_store_this_build_does_not_have_is_refused_at_start_up() {
        assertThatThrownBy(() -> Cairn.start(CairnConfig.load(Optional.empty(),
                Map.of("CAIRN_STORE", "dynamodb", "CAIRN_HTTP_PORT", "0"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not available in this build");
    }

    @Test
    void wiring_the_modules_does_no_io_until_the_services_start() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CairnConfig config = CairnConfig.load(Optional.empty(),
                Map.of("CAIRN_HTTP_PORT", Integer.toString(port), "CAIRN_HTTP_HOST", "127.0.0.1"));

        com.google.inject.Guice.createInjector(com.google.inject.Stage.PRODUCTION, Cairn.modules(config));

        try (java.net.ServerSocket stillFree = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(stillFree.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void stopping_releases_the_port() throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1")));
        int port = cairn.httpPort();
        cairn.stop();
        cairn = null;

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
