package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many clients at once on a few accounts, over real sockets, through the whole wiring: every accepted command lands
 * exactly once, retries with the same key change nothing, and the views catch up with the store.
 */
class ConcurrentClientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 40;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    void concurrent_commands_and_their_retries_land_exactly_once_and_the_views_converge(TestStores store)
            throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(),
                store.environment(dataDir, "CAIRN_COMMANDS_MAX_ATTEMPTS", "50")));
        List<String> accounts = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        for (String account : accounts) {
            assertThat(post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":50}",
                    UUID.randomUUID()).statusCode()).isEqualTo(200);
        }
        Map<String, AtomicLong> balance = new ConcurrentHashMap<>();
        Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
        accounts.forEach(a -> {
            balance.put(a, new AtomicLong());
            accepted.put(a, new AtomicLong());
        });
        AtomicLong retries = new AtomicLong();

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                    String account = accounts.get(random.nextInt(accounts.size()));
                    boolean deposit = random.nextBoolean();
                    long amount = 1 + random.nextInt(20);
                    UUID key = UUID.randomUUID();
                    String path = "/accounts/" + account + (deposit ? "/deposit" : "/withdraw");
                    String body = "{\"amount\":" + amount + "}";
                    HttpResponse<String> first = post(path, body, key);
                    assertThat(first.statusCode()).as(first.body()).isIn(200, 422);
                    if (first.statusCode() == 200) {
                        balance.get(account).addAndGet(deposit ? amount : -amount);
                        accepted.get(account).incrementAndGet();
                    }
                    if (random.nextInt(5) == 0) { // the client never saw the answer and sends it again
                        retries.incrementAndGet();
                        HttpResponse<String> again = post(path, body, key);
                        assertThat(again.statusCode()).isEqualTo(first.statusCode());
                        assertThat(again.body()).isEqualTo(first.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();

        assertThat(retries.get()).isPositive();
        for (String account : accounts) {
            long revision = 1 + accepted.get(account).get();
            JsonNode strong = getJson("/accounts/" + account + "?consistency=strong");
            assertThat(strong.path("revision").asLong()).isEqualTo(revision);
            assertThat(strong.path("balance").asLong()).isEqualTo(balance.get(account).get());
            assertThat(strong.path("balance").asLong()).isGreaterThanOrEqualTo(-50);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode eventual;
            do {
                eventual = getJson("/accounts/" + account + "?consistency=eventual");
            } while (eventual.path("revision").asLong() < revision && System.nanoTime() < deadline);
            assertThat(eventual).isEqualTo(strong);

            Set<String> commitIds = new HashSet<>();
            long read = 0;
            for (long from = 1; from <= revision; from += 1000) {
                for (JsonNode commit : getJson("/streams/account-" + account + "?fromRevision=" + from + "&limit=1000")
                        .path("commits")) {
                    commitIds.add(commit.path("commitId").asText());
                    read++;
                }
            }
            assertThat(read).isEqualTo(revision);
            assertThat(commitIds).as("no commit id stored twice").hasSize((int) revision);
        }
    }

    private HttpResponse<String> post(String path, String json, UUID key) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key.toString())
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
