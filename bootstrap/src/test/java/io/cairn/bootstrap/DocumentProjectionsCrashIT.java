package io.cairn.bootstrap;

import static io.cairn.bootstrap.JarProcess.awaitPort;
import static io.cairn.bootstrap.JarProcess.drain;
import static io.cairn.bootstrap.JarProcess.send;
import static io.cairn.bootstrap.JarProcess.stopWithSigterm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The inventory's document projections survive a crash with every commit applied exactly once: the shaded jar with
 * the inventory plugin, 16 clients reserving, releasing and shipping on 50 products in 3 warehouses, the jar killed
 * with SIGKILL in the middle of the load and started again on the same data, more load, and then every
 * {@code warehouses} document must equal the sums over its products' strong states and every {@code orders}
 * document must match the products' reservations. On DynamoDB Local (the embedded default, its data in the data
 * folder) and on PostgreSQL.
 */
class DocumentProjectionsCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 16;
    private static final int PRODUCTS = 50;
    private static final int WAREHOUSES = 3;
    private static final int ORDERS = 40;
    private static final long STOCK = 1_000;

    private final Path jar = Path.of(System.getProperty("cairn.jar", "target/cairn.jar"));
    private final Path inventory = Path.of(System.getProperty("cairn.inventory.jar",
            "../examples/inventory/target/cairn-inventory.jar"));

    @Test
    void on_dynamodb_local() throws Exception {
        run(TestStores.DYNAMODB);
    }

    @Test
    void on_postgresql() throws Exception {
        run(TestStores.POSTGRES);
    }

    private void run(TestStores store) throws Exception {
        assertThat(jar).exists();
        assertThat(inventory).exists();
        Path dir = ScratchFolders.create("cairn-crash");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(inventory, plugins.resolve("cairn-inventory.jar"));
        Map<String, String> environment = store.environment(dir.resolve("data"), "CAIRN_PLUGINS",
                plugins.toString());
        String[] env = environment.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(),
                e.getValue())).toArray(String[]::new);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            skus.add("p" + run + "-" + i);
        }

        Process first = JarProcess.start(jar, dir, List.of(), env);
        List<String> firstOutput = drain(first);
        int acknowledged;
        try {
            int port = awaitPort(firstOutput, first);
            for (int i = 0; i < PRODUCTS; i++) {
                ok(send(port, "POST", "/products/" + skus.get(i) + "/register", "{\"name\":\"Item " + i
                        + "\",\"warehouse\":\"w" + run + "-" + (i % WAREHOUSES) + "\"}"));
                ok(send(port, "POST", "/products/" + skus.get(i) + "/receive", "{\"quantity\":" + STOCK + "}"));
            }
            acknowledged = load(port, skus, run, Duration.ofSeconds(6), Duration.ofSeconds(3), first);
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).as("commands acknowledged before the kill").isPositive();

        Process second = JarProcess.start(jar, dir, List.of(), env);
        List<String> output = drain(second);
        try {
            int port = awaitPort(output, second);
            int more = load(port, skus, run, Duration.ofSeconds(2), null, second);
            assertThat(more).as("commands acknowledged after the restart").isPositive();

            // read one's own write: a last command per product, then each document waits for it
            Map<String, JsonNode> products = new HashMap<>();
            Map<String, String> lastToken = new HashMap<>();
            for (String sku : skus) {
                HttpResponse<String> received = send(port, "POST", "/products/" + sku + "/receive",
                        "{\"quantity\":1}");
                ok(received);
                lastToken.put(sku, JSON.readTree(received.body()).path("token").asText());
            }
            for (String sku : skus) {
                products.put(sku, JSON.readTree(send(port, "GET", "/products/" + sku + "?consistency=strong", null)
                        .body()));
            }
            for (String sku : skus) {
                for (String projection : List.of("warehouses", "orders")) {
                    HttpResponse<String> waited = send(port, "GET", "/views/" + projection + "?limit=1&after="
                            + lastToken.get(sku) + "&wait=30s", null);
                    assertThat(waited.statusCode()).as(projection + ": " + waited.body()).isEqualTo(200);
                }
            }

            checkWarehouses(port, run, skus, products);
            checkOrders(port, run, skus, products);
            JsonNode projections = JSON.readTree(send(port, "GET", "/projections", null).body());
            for (JsonNode projection : projections.path("projections")) {
                assertThat(projection.path("state").asText()).as(projection.toString()).isNotEqualTo("stopped");
            }
            stopWithSigterm(second, output);
        } finally {
            second.destroyForcibly();
        }
    }

    private static void checkWarehouses(int port, String run, List<String> skus, Map<String, JsonNode> products)
            throws Exception {
        for (int w = 0; w < WAREHOUSES; w++) {
            String warehouse = "w" + run + "-" + w;
            long count = 0;
            long onHand = 0;
            long reserved = 0;
            for (String sku : skus) {
                JsonNode product = products.get(sku);
                if (product.path("warehouse").asText().equals(warehouse)) {
                    count++;
                    onHand += product.path("onHand").asLong();
                    reserved += product.path("reserved").asLong();
                }
            }
            JsonNode document = JSON.readTree(send(port, "GET", "/views/warehouses/" + warehouse, null).body());
            assertThat(document.path("warehouse").asText()).isEqualTo(warehouse);
            assertThat(document.path("products").asLong()).as("products in " + warehouse).isEqualTo(count);
            assertThat(document.path("onHand").asLong()).as("on hand in " + warehouse).isEqualTo(onHand);
            assertThat(document.path("reserved").asLong()).as("reserved in " + warehouse).isEqualTo(reserved);
        }
    }

    private static void checkOrders(int port, String run, List<String> skus, Map<String, JsonNode> products)
            throws Exception {
        // what the products hold: order → sku → quantity
        Map<String, Map<String, Long>> held = new TreeMap<>();
        for (String sku : skus) {
            JsonNode reservations = products.get(sku).path("reservations");
            for (Iterator<String> orders = reservations.fieldNames(); orders.hasNext(); ) {
                String order = orders.next();
                held.computeIfAbsent(order, o -> new TreeMap<>()).put(sku, reservations.path(order).asLong());
            }
        }
        // what the orders documents say is reserved
        Map<String, Map<String, Long>> documented = new TreeMap<>();
        String after = null;
        do {
            JsonNode page = JSON.readTree(send(port, "GET", "/views/orders?limit=25&prefix=o" + run
                    + (after == null ? "" : "&after=" + after), null).body());
            for (JsonNode entry : page.path("documents")) {
                JsonNode lines = entry.path("document").path("lines");
                assertThat(lines.size()).as("an order without lines is deleted: " + entry).isPositive();
                for (Iterator<String> names = lines.fieldNames(); names.hasNext(); ) {
                    String sku = names.next();
                    JsonNode line = lines.path(sku);
                    if (line.path("status").asText().equals("reserved")) {
                        documented.computeIfAbsent(entry.path("key").asText(), o -> new TreeMap<>())
                                .put(sku, line.path("quantity").asLong());
                    } else {
                        assertThat(line.path("status").asText()).isEqualTo("shipped");
                        assertThat(held.getOrDefault(entry.path("key").asText(), Map.of()))
                                .as("a shipped line is no reservation").doesNotContainKey(sku);
                    }
                }
            }
            after = page.path("next").isNull() ? null : page.path("next").asText();
        } while (after != null);
        assertThat(documented).isEqualTo(held);
        assertThat(held).as("the load left reservations to compare").isNotEmpty();
    }

    /**
     * 16 clients sending random reserve, release and ship commands for {@code duration}; when {@code killAfter} is
     * given, the process is killed with SIGKILL then, mid-load. Returns the commands acknowledged with 200.
     */
    private static int load(int port, List<String> skus, String run, Duration duration, Duration killAfter,
                            Process process) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean killing = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<String> unexpected = new AtomicReference<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    String sku = skus.get(random.nextInt(skus.size()));
                    String order = "o" + run + "-" + random.nextInt(ORDERS);
                    int action = random.nextInt(10);
                    String command = action < 5 ? "reserve" : action < 8 ? "release" : "ship";
                    String body = command.equals("reserve")
                            ? "{\"order\":\"" + order + "\",\"quantity\":" + (1 + random.nextInt(3)) + "}"
                            : "{\"order\":\"" + order + "\"}";
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/products/" + sku + "/" + command))
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            acknowledged.incrementAndGet();
                        } else if (response.statusCode() != 422 && response.statusCode() != 409
                                && response.statusCode() != 503) {
                            unexpected.compareAndSet(null, response.statusCode() + " " + response.body());
                        }
                    } catch (java.io.IOException e) {
                        if (!killing.get()) {
                            unexpected.compareAndSet(null, e.toString());
                        }
                        // killed: the client's connection is gone, as a real client's would be
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        if (killAfter != null) {
            Thread.sleep(killAfter.toMillis());
            killing.set(true);
            process.destroyForcibly(); // SIGKILL: no shutdown hook runs, the projectors stop wherever they are
            process.waitFor(30, TimeUnit.SECONDS);
        } else {
            Thread.sleep(duration.toMillis());
        }
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected.get()).as("an unexpected answer").isNull();
        return acknowledged.get();
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
