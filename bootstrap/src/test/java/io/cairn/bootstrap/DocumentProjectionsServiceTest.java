package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.domain.DocumentChange;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document projections as the service runs them, each on its own ring with its own checkpoint: a projection that
 * takes a second per event delays neither the aggregate views nor another projection; one that keeps failing stops
 * at its commit, visibly (GET /projections, /metrics, a 503 to a reader waiting on it), holds up nothing else, and
 * resumes there when Cairn restarts.
 */
class DocumentProjectionsServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Whether the picky projection's bug is fixed: false until the test restarts Cairn with the fix. */
    private static final AtomicBoolean FIXED = new AtomicBoolean();

    /** A count of events per account. */
    public record Counted(String account, long events) {
    }

    /** The commits of accounts and products, in the order the projection saw them. */
    public record Sequence(List<String> commits) {
    }

    /** A domain of two projections over the accounts, one slow, one that cannot take a deposit of 13; and one of
     *  accounts and products together. */
    public static final class TroubleDomain implements Domain {
        @Override
        public String name() {
            return "trouble";
        }

        @Override
        public void register(DomainRegistry registry) {
            registry.projection(DocumentProjection.<AccountEvent, AccountState, Counted>of("sleepy",
                    AccountsDomain.ACCOUNTS, Counted.class, event -> {
                        try {
                            Thread.sleep(1_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return List.of(count(event.aggregateId()));
                    }));
            registry.projection(DocumentProjection.<AccountEvent, AccountState, Counted>of("picky",
                    AccountsDomain.ACCOUNTS, Counted.class, event -> {
                        if (event.event() instanceof AccountEvent.Deposited deposited && deposited.amount() == 13
                                && !FIXED.get()) {
                            throw new IllegalStateException("13 is unlucky");
                        }
                        return List.of(count(event.aggregateId()));
                    }));
            registry.projection(DocumentProjection.builder("activity", Sequence.class)
                    .follow(AccountsDomain.ACCOUNTS, event -> List.of(append(event.stream() + "@" + event.revision())))
                    .follow(io.cairn.inventory.InventoryDomain.PRODUCTS,
                            event -> List.of(append(event.stream() + "@" + event.revision())))
                    .build());
        }

        static DocumentChange<Sequence> append(String what) {
            return DocumentChange.update("all", current -> {
                List<String> commits = new java.util.ArrayList<>(current.map(Sequence::commits).orElse(List.of()));
                commits.add(what);
                return Optional.of(new Sequence(commits));
            });
        }

        private static DocumentChange<Counted> count(String account) {
            return DocumentChange.update(account, current -> Optional.of(new Counted(account,
                    current.map(Counted::events).orElse(0L) + 1)));
        }
    }

    @TempDir
    Path dataDir;
    private Cairn cairn;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.close();
        }
        FIXED.set(false);
    }

    private Cairn start(Map<String, String> environment) throws Exception {
        return Cairn.builder()
                .config(CairnConfig.load(Optional.empty(), environment))
                .domainsFromClassPath()
                .domain(new TroubleDomain())
                .start();
    }

    @Test
    void a_slow_projection_delays_neither_the_aggregate_views_nor_another_projection() throws Exception {
        cairn = start(TestStores.MEMORY.environment(dataDir));
        String account = UUID.randomUUID().toString();
        String owner = "owner-" + account;
        post("/accounts/" + account + "/open", "{\"owner\":\"" + owner + "\",\"currency\":\"EUR\",\"overdraftLimit\":0}");

        long started = System.nanoTime();
        String token = null;
        for (int i = 0; i < 3; i++) {
            token = JSON.readTree(post("/accounts/" + account + "/deposit", "{\"amount\":10}").body())
                    .path("token").asText();
        }
        HttpResponse<String> owners = get("/views/owners/" + owner + "?after=" + token + "&wait=3s");
        HttpResponse<String> view = get("/accounts/" + account);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(owners.statusCode()).as(owners.body()).isEqualTo(200);
        assertThat(JSON.readTree(owners.body()).path("balances").path("EUR").asLong()).isEqualTo(30);
        assertThat(JSON.readTree(view.body()).path("balance").asLong()).isEqualTo(30);
        assertThat(elapsedMillis).as("the owners document and the account's view, while sleepy needs 4 s")
                .isLessThan(3_000);
        assertThat(get("/views/sleepy/" + account + "?after=" + token + "&wait=200ms").statusCode())
                .isEqualTo(504);
        assertThat(get("/views/sleepy/" + account + "?after=" + token + "&wait=10s").statusCode())
                .as("it gets there, in its own time").isEqualTo(200);
    }

    @Test
    void a_projection_of_two_aggregates_sees_their_commits_in_the_stores_global_order() throws Exception {
        cairn = start(TestStores.MEMORY.environment(dataDir));
        String account = UUID.randomUUID().toString();
        String sku = "sku-" + UUID.randomUUID();
        List<String> expected = new java.util.ArrayList<>();
        post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        expected.add("account-" + account + "@1");
        post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}");
        expected.add("product-" + sku + "@1");
        post("/accounts/" + account + "/deposit", "{\"amount\":5}");
        expected.add("account-" + account + "@2");
        String token = JSON.readTree(post("/products/" + sku + "/receive", "{\"quantity\":3}").body())
                .path("token").asText();
        expected.add("product-" + sku + "@2");

        HttpResponse<String> read = get("/views/activity/all?after=" + token + "&wait=5s");

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        List<String> seen = new java.util.ArrayList<>();
        JSON.readTree(read.body()).path("commits").forEach(commit -> seen.add(commit.asText()));
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(projection("activity").path("follows")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("account", "product");
    }

    @Test
    void a_projection_that_keeps_failing_stops_visibly_at_its_commit_and_resumes_there_after_a_restart()
            throws Exception {
        Map<String, String> postgres = TestStores.POSTGRES.environment(dataDir);
        cairn = start(postgres);
        String account = UUID.randomUUID().toString();
        post("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        post("/accounts/" + account + "/deposit", "{\"amount\":5}");
        post("/accounts/" + account + "/deposit", "{\"amount\":13}");
        String after = JSON.readTree(post("/accounts/" + account + "/deposit", "{\"amount\":7}").body())
                .path("token").asText();

        HttpResponse<String> waiting = get("/views/picky/" + account + "?after=" + after + "&wait=10s");
        assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
        assertThat(waiting.body()).contains("projection-stopped").contains("13 is unlucky");
        JsonNode picky = projection("picky");
        assertThat(picky.path("state").asText()).isEqualTo("stopped");
        assertThat(picky.path("failure").path("stream").asText()).isEqualTo("account-" + account);
        assertThat(picky.path("failure").path("revision").asLong()).isEqualTo(3);
        assertThat(picky.path("failure").path("error").asText()).contains("13 is unlucky");
        assertThat(JSON.readTree(get("/views/picky/" + account).body()).path("events").asLong())
                .as("the commits before it, applied").isEqualTo(2);
        assertThat(get("/metrics").body()).containsPattern("cairn_projector_stopped\\{projection=\"picky\"} 1");
        // nothing else is held up
        assertThat(get("/views/owners/Ada?after=" + after + "&wait=5s").statusCode()).isEqualTo(200);
        assertThat(projection("owners").path("state").asText()).isEqualTo("running");

        cairn.close();
        FIXED.set(true);
        cairn = start(postgres); // the same schema: the projection resumes at the commit it stopped at

        HttpResponse<String> resumed = get("/views/picky/" + account + "?after=" + after + "&wait=10s");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(JSON.readTree(resumed.body()).path("events").asLong()).as("every event once").isEqualTo(4);
        assertThat(projection("picky").path("state").asText()).isEqualTo("running");
    }

    @Test
    void on_dynamodb_many_streams_feed_one_document_under_concurrent_writes() throws Exception {
        cairn = start(TestStores.DYNAMODB.environment(dataDir));
        String owner = "owner-" + UUID.randomUUID();
        List<String> accounts = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String account = UUID.randomUUID().toString();
            accounts.add(account);
            post("/accounts/" + account + "/open", "{\"owner\":\"" + owner + "\",\"currency\":\""
                    + (i % 2 == 0 ? "EUR" : "USD") + "\",\"overdraftLimit\":0}");
        }
        java.util.concurrent.ConcurrentHashMap<String, String> lastTokens = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong eur = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong usd = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int n = 0; n < 10; n++) {
                    int index = (writer * 7 + n * 5) % accounts.size();
                    String account = accounts.get(index);
                    long amount = 1 + writer + n;
                    HttpResponse<String> deposited = CLIENT.send(HttpRequest.newBuilder(
                                    uri("/accounts/" + account + "/deposit")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":" + amount + "}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (deposited.statusCode() == 200) {
                        (index % 2 == 0 ? eur : usd).addAndGet(amount);
                        lastTokens.put(account + "#" + writer + "#" + n, JSON.readTree(deposited.body())
                                .path("token").asText());
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> future : done) {
            future.get(120, java.util.concurrent.TimeUnit.SECONDS);
        }
        writers.shutdown();
        assertThat(lastTokens).hasSizeGreaterThan(100);

        JsonNode document = null;
        for (String token : lastTokens.values()) {
            HttpResponse<String> read = get("/views/owners/" + owner + "?after=" + token + "&wait=20s");
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            document = JSON.readTree(read.body());
        }
        assertThat(document.path("accounts")).hasSize(accounts.size());
        // what is stored is the truth: a deposit whose answer was an error (a store timeout on a loaded machine) may
        // still have been appended, so the expected sums are the accounts' strongly consistent balances, which must
        // cover at least every acknowledged deposit
        long strongEur = 0;
        long strongUsd = 0;
        for (int i = 0; i < accounts.size(); i++) {
            HttpResponse<String> state = get("/accounts/" + accounts.get(i) + "?consistency=strong");
            assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
            long balance = JSON.readTree(state.body()).path("balance").asLong();
            if (i % 2 == 0) {
                strongEur += balance;
            } else {
                strongUsd += balance;
            }
        }
        assertThat(strongEur).isGreaterThanOrEqualTo(eur.get());
        assertThat(strongUsd).isGreaterThanOrEqualTo(usd.get());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while ((document.path("balances").path("EUR").asLong() != strongEur
                || document.path("balances").path("USD").asLong() != strongUsd) && System.nanoTime() < deadline) {
            Thread.sleep(100); // commits acknowledged with an error carry no token to wait on
            document = JSON.readTree(get("/views/owners/" + owner).body());
        }
        assertThat(document.path("balances").path("EUR").asLong()).isEqualTo(strongEur);
        assertThat(document.path("balances").path("USD").asLong()).isEqualTo(strongUsd);
        assertThat(projection("owners").path("ordering").asText()).isEqualTo("stream-revision");
    }

    private JsonNode projection(String name) throws Exception {
        for (JsonNode projection : JSON.readTree(get("/projections").body()).path("projections")) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
