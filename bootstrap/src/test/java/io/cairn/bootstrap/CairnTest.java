package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.StoreUnavailableException;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.dynamodb.local.InProcessDynamoDb;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wired application, in-process, over a real socket. */
class CairnTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private Cairn cairn;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void the_wired_service_takes_commands_and_its_projector_brings_the_view_up_to_date(TestStores store)
            throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), store.environment(dataDir)));
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

        // the second reference domain, on the class path here, is served beside accounts the same way
        String sku = "lamp-" + UUID.randomUUID();
        assertThat(post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/products/" + sku + "/receive", "{\"quantity\":3}").body())
                .startsWith("{\"id\":\"" + sku + "\",\"revision\":2,\"token\":\"w1.");
        do {
            body = get("/products/" + sku).body();
        } while (!body.contains("\"revision\":2") && System.nanoTime() < deadline);
        assertThat(body).contains("\"onHand\":3").contains("\"revision\":2");

        String applied = "cairn_projector_applied_total{projection=\"accounts-view\"} 2.0";
        String metrics;
        do { // the counter moves right after the view write the query saw
            metrics = get("/metrics").body();
        } while (!(metrics.contains(applied) && metrics.contains("projection=\"products-view\"} 2.0"))
                && System.nanoTime() < deadline);
        assertThat(metrics).contains("cairn_projector_applied_total{projection=\"accounts-view\"} 2.0")
                .contains("cairn_projector_applied_total{projection=\"products-view\"} 2.0")
                .contains("cairn_projector_batches_total{projection=\"live-feed\"}")
                .contains("cairn_fast_channel_published_total 4.0")
                .contains("cairn_commands_conflicts_total{aggregate=\"account\"}")
                .contains("cairn_commands_conflicts_total{aggregate=\"product\"}")
                .contains("cairn_view_cache_hits_total{aggregate=\"product\"}")
                .contains("jvm_memory_used_bytes");
        if (store == TestStores.DYNAMODB) {
            assertThat(metrics).contains("cairn_dynamodb_capacity_write_units_total{operation=\"PutItem\","
                    + "purpose=\"command\",table=\"cairn-events\"} 4.0");
        }
    }

    @Test
    void the_embedded_dynamodb_keeps_its_data_in_the_data_dir_across_a_restart() throws Exception {
        Map<String, String> env = TestStores.DYNAMODB.environment(dataDir);
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), env));
        String account = UUID.randomUUID().toString();
        assertThat(post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/accounts/" + account + "/deposit", "{\"amount\":70}").statusCode()).isEqualTo(200);
        cairn.stop();

        cairn = Cairn.start(CairnConfig.load(Optional.empty(), env));

        assertThat(get("/accounts/" + account + "?consistency=strong").body())
                .contains("\"balance\":70").contains("\"revision\":2");
        assertThat(dataDir.resolve("dynamodb")).isDirectoryContaining(p -> p.toString().endsWith(".db"));
    }

    @Test
    void on_postgres_the_global_order_is_served_at_all_and_on_dynamodb_it_is_501() throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), TestStores.POSTGRES.environment(dataDir)));
        String account = UUID.randomUUID().toString();
        post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        post("/accounts/" + account + "/deposit", "{\"amount\":5}");

        String all = get("/all?fromPosition=0&limit=10").body();

        assertThat(all).contains("\"position\":1").contains("\"position\":2")
                .contains("\"stream\":\"account-" + account + "\"").contains("\"nextPosition\":3");
        cairn.stop();
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), TestStores.DYNAMODB.environment(dataDir)));
        HttpResponse<String> none = get("/all");
        assertThat(none.statusCode()).isEqualTo(501);
        assertThat(none.body()).contains("no-global-order");
    }

    @Test
    void a_store_that_cannot_be_reached_stops_start_up_and_leaves_nothing_running() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Map<String, String> postgres = TestStores.POSTGRES.environment(dataDir,
                "CAIRN_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/cairn");
        Map<String, String> dynamo = TestStores.DYNAMODB.environment(dataDir,
                "CAIRN_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> Cairn.start(CairnConfig.load(Optional.empty(), postgres)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> Cairn.start(CairnConfig.load(Optional.empty(), dynamo)))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void domains_that_cannot_load_stop_start_up_and_the_store_opened_beside_them_is_closed_again() throws Exception {
        Map<String, String> env = TestStores.DYNAMODB.environment(dataDir, "CAIRN_DOMAINS", "billing");

        assertThatThrownBy(() -> Cairn.start(CairnConfig.load(Optional.empty(), env)))
                .isInstanceOf(DomainLoadingException.class).hasMessageContaining("[billing]");

        // the embedded DynamoDB Local, opened while the domains loaded, has closed its database again: DynamoDB Local
        // refuses to open a database file this JVM still has open
        InProcessDynamoDb.persistentIn(dataDir.resolve("dynamodb")).close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cairn-store-open"));
    }

    @Test
    void a_data_folder_the_embedded_http_server_of_earlier_versions_wrote_opens_with_its_streams_and_views()
            throws Exception {
        String account = UUID.randomUUID().toString();
        // earlier versions' embedded default: DynamoDB Local's HTTP server, its data in <data-dir>/dynamodb
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.persistentIn(dataDir.resolve("dynamodb"))) {
            cairn = Cairn.start(CairnConfig.load(Optional.empty(), TestStores.DYNAMODB.environment(dataDir,
                    "CAIRN_DYNAMODB_ENDPOINT", server.endpoint().toString())));
            post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
            assertThat(post("/accounts/" + account + "/deposit", "{\"amount\":70}").statusCode()).isEqualTo(200);
            awaitView(account, 2);
            cairn.stop();
            cairn = null;
        }

        cairn = Cairn.start(CairnConfig.load(Optional.empty(), TestStores.DYNAMODB.environment(dataDir)));

        assertThat(get("/accounts/" + account + "?consistency=strong").body())
                .contains("\"balance\":70").contains("\"revision\":2");
        assertThat(post("/accounts/" + account + "/deposit", "{\"amount\":5}").body()).contains("\"revision\":3");
        // the projector resumed on the stream it had followed over HTTP
        assertThat(awaitView(account, 3)).contains("\"balance\":75");
    }

    /** The account's view once it reflects {@code revision}, or as it is after a few seconds. */
    private String awaitView(String account, int revision) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String body;
        do {
            body = get("/accounts/" + account + "?consistency=eventual").body();
        } while (!body.contains("\"revision\":" + revision) && System.nanoTime() < deadline);
        return body;
    }

    @Test
    void wiring_the_modules_does_no_io_until_the_services_start() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CairnConfig config = CairnConfig.load(Optional.empty(),
                Map.of("CAIRN_HTTP_PORT", Integer.toString(port), "CAIRN_HTTP_HOST", "127.0.0.1"));

        MemoryBackend backend = new MemoryBackend();
        List<LoadedDomain> domains = DomainLoader.load(config.domains());
        com.google.inject.Guice.createInjector(com.google.inject.Stage.PRODUCTION, Cairn.modules(config,
                domains, backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Generations.load(backend.checkpoints(), domains)));

        try (java.net.ServerSocket stillFree = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(stillFree.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void stopping_releases_the_port() throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), TestStores.DYNAMODB.environment(dataDir)));
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
