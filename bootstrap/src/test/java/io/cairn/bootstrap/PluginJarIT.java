package io.cairn.bootstrap;

import static io.cairn.bootstrap.JarProcess.awaitLine;
import static io.cairn.bootstrap.JarProcess.awaitPort;
import static io.cairn.bootstrap.JarProcess.drain;
import static io.cairn.bootstrap.JarProcess.send;
import static io.cairn.bootstrap.JarProcess.stopWithSigterm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.postgres.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar with the inventory domain as a plugin, as a user runs it: {@code CAIRN_PLUGINS=<dir>} beside the
 * built-in accounts domain, on DynamoDB Local (the embedded default) and on PostgreSQL, both domains over HTTP,
 * and 16 clients reserving one product at once.
 */
class PluginJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 16;
    private static final int STOCK = 10;

    private final Path jar = Path.of(System.getProperty("cairn.jar", "target/cairn.jar"));
    private final Path inventory = Path.of(System.getProperty("cairn.inventory.jar",
            "../examples/inventory/target/cairn-inventory.jar"));

    @Test
    void both_domains_are_served_on_dynamodb_local() throws Exception {
        run();
    }

    @Test
    void both_domains_are_served_on_postgresql() throws Exception {
        TestPostgres server = TestPostgres.server();
        run("CAIRN_STORE", "postgres", "CAIRN_POSTGRES_URL", server.jdbcUrl(), "CAIRN_POSTGRES_USER", server.user(),
                "CAIRN_POSTGRES_PASSWORD", server.password(),
                "CAIRN_POSTGRES_SCHEMA", "cairn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private void run(String... store) throws Exception {
        assertThat(jar).exists();
        assertThat(inventory).as("the inventory plugin jar, built by mvn package").exists();
        Path dir = ScratchFolders.create("cairn-plugin");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(inventory, plugins.resolve("cairn-inventory.jar"));
        List<String> env = new ArrayList<>(List.of("CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1",
                "CAIRN_PLUGINS", plugins.toString()));
        env.addAll(List.of(store));

        Process process = JarProcess.start(jar, dir, List.of(), env.toArray(String[]::new));
        List<String> output = drain(process);
        try {
            int port = awaitPort(output, process);
            awaitLine(output, "domain accounts from built in", process);
            awaitLine(output, "domain inventory from plugin", process);

            // the live feed shows every commit, whatever its category: a raw stream's and both domains'
            List<String> feed = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/feed")).build(),
                    HttpResponse.BodyHandlers.ofLines()).thenAccept(lines -> lines.body().forEach(feed::add));
            Thread.sleep(500); // subscribed before the commits below
            String order = "order-" + UUID.randomUUID();
            assertThat(send(port, "POST", "/streams/" + order,
                    "{\"expectedRevision\":\"no_stream\",\"events\":[{\"type\":\"OrderPlaced\",\"data\":{}}]}")
                    .statusCode()).isEqualTo(201);

            String account = UUID.randomUUID().toString();
            HttpResponse<String> opened = send(port, "POST", "/accounts/" + account + "/open",
                    "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
            assertThat(opened.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(opened.body()).path("accountId").asText()).isEqualTo(account);

            String sku = "lamp-" + UUID.randomUUID();
            HttpResponse<String> registered = send(port, "POST", "/products/" + sku + "/register",
                    "{\"name\":\"Lamp\",\"warehouse\":\"north\"}");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
            assertThat(JSON.readTree(registered.body()).path("id").asText()).isEqualTo(sku);
            assertThat(send(port, "POST", "/products/" + sku + "/receive", "{\"quantity\":" + STOCK + "}")
                    .statusCode()).isEqualTo(200);
            assertThat(send(port, "POST", "/products/" + sku + "/receive", "{\"quantity\":0}").statusCode())
                    .isEqualTo(400);
            assertThat(send(port, "POST", "/products/never-" + sku + "/reserve",
                    "{\"order\":\"o\",\"quantity\":1}").statusCode()).isEqualTo(404);
            assertThat(send(port, "POST", "/streams/product-" + sku,
                    "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"StockReceived\",\"data\":{}}]}")
                    .statusCode()).as("raw writes to a plugin's category").isEqualTo(400);

            Set<String> acknowledged = reserveConcurrently(port, sku);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !(String.join("\n", feed).contains("\"" + order + "\"")
                    && String.join("\n", feed).contains("\"account-" + account + "\"")
                    && String.join("\n", feed).contains("\"product-" + sku + "\""))) {
                Thread.sleep(50);
            }
            assertThat(String.join("\n", feed)).as("the live feed")
                    .contains("\"" + order + "\"").contains("\"account-" + account + "\"")
                    .contains("\"product-" + sku + "\"");

            JsonNode product = JSON.readTree(send(port, "GET", "/products/" + sku + "?consistency=strong", null)
                    .body());
            assertThat(acknowledged).hasSize(STOCK);
            assertThat(product.path("available").asLong()).isZero();
            assertThat(product.path("reserved").asLong()).isEqualTo(acknowledged.size());
            assertThat(product.path("onHand").asLong()).isEqualTo(STOCK);
            Set<String> held = new HashSet<>();
            for (Iterator<String> orders = product.path("reservations").fieldNames(); orders.hasNext(); ) {
                held.add(orders.next());
            }
            assertThat(held).isEqualTo(acknowledged);
            assertThat(product.path("revision").asLong()).isEqualTo(2 + acknowledged.size());
        } finally {
            stopWithSigterm(process, output);
        }
    }

    /** 16 clients, each reserving one unit for an order of its own; returns the orders acknowledged with 200. */
    private static Set<String> reserveConcurrently(int port, String sku) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String order = "o-" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    String key = UUID.randomUUID().toString();
                    for (int attempt = 1; ; attempt++) {
                        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/products/" + sku + "/reserve"))
                                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"order\":\"" + order + "\",\"quantity\":1}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        // contention (409) and outages (503) are retryable with the same key; the rest are final
                        if ((answer.statusCode() == 409 || answer.statusCode() == 503) && attempt < 20) {
                            Thread.sleep(20L * attempt);
                            continue;
                        }
                        if (answer.statusCode() == 200) {
                            acknowledged.add(order);
                        } else {
                            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
                            assertThat(answer.body()).contains("insufficient_stock");
                        }
                        return answer.statusCode();
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> answer : answers) {
                answer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return acknowledged;
    }
}
