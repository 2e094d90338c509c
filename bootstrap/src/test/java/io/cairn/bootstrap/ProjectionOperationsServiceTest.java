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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Operating a stopped projection over HTTP on the whole service, on real stores: {@code POST
 * /projections/{name}/skip} on PostgreSQL (global order) and DynamoDB Local (stream order) skips exactly the commit
 * it stopped at, persisted across a restart; {@code .../retry} runs the commit again with the current code; every
 * refusal is its problem, and both need the admin role.
 */
class ProjectionOperationsServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Whether the picky handler's bug is fixed: it fails on a deposit of 13 until then. */
    static final AtomicBoolean FIXED = new AtomicBoolean();

    /** The deposits an account's document has seen, in order. */
    public record Deposits(List<Long> amounts) {
    }

    /** One document projection over the accounts, whose handler cannot take a deposit of 13. */
    public static final class PickyDomain implements Domain {
        @Override
        public String name() {
            return "picky";
        }

        @Override
        public void register(DomainRegistry registry) {
            registry.projection(DocumentProjection.<AccountEvent, AccountState, Deposits>of("picky",
                    AccountsDomain.ACCOUNTS, Deposits.class, event -> {
                        if (!(event.event() instanceof AccountEvent.Deposited deposited)) {
                            return List.of();
                        }
                        if (deposited.amount() == 13 && !FIXED.get()) {
                            throw new IllegalStateException("13 is unlucky");
                        }
                        return List.of(DocumentChange.update(event.aggregateId(), current -> {
                            List<Long> amounts = new ArrayList<>(current.map(Deposits::amounts).orElse(List.of()));
                            amounts.add(deposited.amount());
                            return Optional.of(new Deposits(amounts));
                        }));
                    }));
        }
    }

    @TempDir
    Path dataDir;
    private Cairn cairn;
    private String credential;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.close();
        }
        FIXED.set(false);
    }

    static Cairn start(Map<String, String> environment) throws Exception {
        return Cairn.builder()
                .config(CairnConfig.load(Optional.empty(), environment))
                .domain(new AccountsDomain())
                .domain(new PickyDomain())
                .start();
    }

    @ParameterizedTest
    @EnumSource(value = TestStores.class, names = {"POSTGRES", "DYNAMODB"})
    void a_skipped_commit_changes_no_document_and_stays_skipped_across_a_restart(TestStores stores)
            throws Exception {
        Map<String, String> environment = stores.environment(dataDir, "CAIRN_PROJECTION_FAILURE_BACKOFF", "10ms");
        cairn = start(environment);
        String account = UUID.randomUUID().toString();
        String after = depositFiveThirteenSeven(account);
        awaitStopped("picky");

        HttpResponse<String> skip = post("/projections/picky/skip");

        assertThat(skip.statusCode()).as(skip.body()).isEqualTo(200);
        JsonNode skipped = JSON.readTree(skip.body());
        assertThat(skipped.path("projection").asText()).isEqualTo("picky");
        assertThat(skipped.path("state").asText()).isEqualTo("running");
        assertThat(skipped.path("skipped").path("stream").asText()).isEqualTo("account-" + account);
        assertThat(skipped.path("skipped").path("revision").asLong()).isEqualTo(3);
        assertThat(skipped.path("skipped").has("position")).as("a position in global order only")
                .isEqualTo(stores == TestStores.POSTGRES);
        assertThat(skipped.path("skipped").path("error").asText()).contains("13 is unlucky");
        assertThat(skipped.path("skipped").path("at").asText()).isNotBlank();
        assertThat(skipped.path("skipped").path("skippedAt").asText()).isNotBlank();
        assertThat(amounts(account, after)).as("no document change for it").containsExactly(5L, 7L);
        JsonNode shown = projection("picky");
        assertThat(shown.path("state").asText()).isEqualTo("running");
        assertThat(shown.path("skipped")).hasSize(1);
        assertThat(shown.path("skipped").get(0)).isEqualTo(skipped.path("skipped"));
        assertThat(problem(post("/projections/picky/skip"), 409)).isEqualTo("projection-not-stopped");

        cairn.close();
        cairn = start(environment); // the same store: the skip list is kept, and nothing is applied twice
        String later = deposit(account, 1);
        assertThat(amounts(account, later)).containsExactly(5L, 7L, 1L);
        assertThat(projection("picky").path("skipped").get(0)).isEqualTo(skipped.path("skipped"));
        assertThat(projection("picky").path("state").asText()).isEqualTo("running");
    }

    @Test
    void a_retried_projection_runs_the_commit_again_with_the_current_code_and_stops_again_if_it_fails()
            throws Exception {
        cairn = start(TestStores.MEMORY.environment(dataDir, "CAIRN_PROJECTION_FAILURE_BACKOFF", "10ms"));
        String account = UUID.randomUUID().toString();
        String after = depositFiveThirteenSeven(account);
        String stoppedAt = awaitStopped("picky").path("failure").path("at").asText();

        HttpResponse<String> retried = post("/projections/picky/retry");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(JSON.readTree(retried.body())).isEqualTo(JSON.readTree(
                "{\"projection\":\"picky\",\"state\":\"running\"}"));
        JsonNode again = awaitStopped("picky", stoppedAt); // still broken: it stops again, at the same commit
        assertThat(again.path("failure").path("revision").asLong()).isEqualTo(3);

        FIXED.set(true);
        assertThat(post("/projections/picky/retry").statusCode()).isEqualTo(200);
        assertThat(amounts(account, after)).as("each deposit once").containsExactly(5L, 13L, 7L);
        assertThat(projection("picky").path("skipped")).isEmpty();
        assertThat(problem(post("/projections/picky/retry"), 409)).isEqualTo("projection-not-stopped");
    }

    @Test
    void a_generation_switched_to_since_start_is_skipped_and_retried_like_the_first() throws Exception {
        cairn = start(TestStores.MEMORY.environment(dataDir, "CAIRN_PROJECTION_FAILURE_BACKOFF", "10ms"));
        String account = UUID.randomUUID().toString();
        send("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        deposit(account, 5);
        HttpResponse<String> rebuild = post("/projections/picky/rebuild");
        assertThat(rebuild.statusCode()).as(rebuild.body()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (projection("picky").path("generation").asInt() != 2 || projection("picky").has("rebuild")) {
            assertThat(System.nanoTime()).as("the switch to generation 2").isLessThan(deadline);
            Thread.sleep(20);
        }

        deposit(account, 13); // the new generation, which the rebuilds run, stops at it
        awaitStopped("picky");
        HttpResponse<String> skip = post("/projections/picky/skip");
        assertThat(skip.statusCode()).as(skip.body()).isEqualTo(200);
        assertThat(amounts(account, deposit(account, 7))).containsExactly(5L, 7L);

        String stoppedAt = depositAndAwaitStop(account, 13);
        FIXED.set(true);
        HttpResponse<String> retried = post("/projections/picky/retry");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(amounts(account, deposit(account, 1))).as("the retried commit applied, after it the fast ones")
                .containsExactly(5L, 7L, 13L, 1L);
        assertThat(stoppedAt).isNotBlank();
        assertThat(projection("picky").path("generation").asInt()).isEqualTo(2);
        assertThat(projection("picky").path("state").asText()).isEqualTo("running");
    }

    private String depositAndAwaitStop(String account, long amount) throws Exception {
        String before = projection("picky").path("failure").path("at").asText(null);
        deposit(account, amount);
        return awaitStopped("picky", before).path("failure").path("at").asText();
    }

    @Test
    void unknown_projections_are_404_and_aggregate_views_and_the_live_feed_never_skip() throws Exception {
        cairn = start(TestStores.MEMORY.environment(dataDir));
        assertThat(problem(post("/projections/nothing/retry"), 404)).isEqualTo("unknown-projection");
        assertThat(problem(post("/projections/nothing/skip"), 404)).isEqualTo("unknown-projection");
        for (JsonNode projection : JSON.readTree(get("/projections").body()).path("projections")) {
            String name = projection.path("name").asText();
            String kind = projection.path("kind").asText();
            assertThat(projection.path("skipped")).as(name).isEmpty();
            if (!kind.equals("documents")) {
                assertThat(problem(post("/projections/" + name + "/skip"), 409)).as(name)
                        .isEqualTo("skip-not-allowed");
            }
            assertThat(problem(post("/projections/" + name + "/retry"), 409)).as(name)
                    .isEqualTo("projection-not-stopped");
        }
    }

    @Test
    void retry_and_skip_need_the_admin_role() throws Exception {
        String admin = UUID.randomUUID().toString();
        String writer = UUID.randomUUID().toString();
        Path keys = Files.writeString(dataDir.resolve("api-keys"), "ops admin " + HttpSecurityConfigTest.sha256(admin)
                + "\nbilling write " + HttpSecurityConfigTest.sha256(writer) + "\n");
        cairn = start(TestStores.MEMORY.environment(dataDir, "CAIRN_AUTH_MODE", "api-keys",
                "CAIRN_AUTH_API_KEYS_FILE", keys.toString()));
        for (String operation : new String[] {"retry", "skip"}) {
            credential = null;
            assertThat(problem(post("/projections/picky/" + operation), 401)).isEqualTo("unauthorized");
            credential = writer;
            assertThat(problem(post("/projections/picky/" + operation), 403)).isEqualTo("forbidden");
            credential = admin;
            assertThat(problem(post("/projections/picky/" + operation), 409)).isEqualTo("projection-not-stopped");
        }
    }

    private String depositFiveThirteenSeven(String account) throws Exception {
        send("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        deposit(account, 5);
        deposit(account, 13);
        return deposit(account, 7);
    }

    private String deposit(String account, long amount) throws Exception {
        HttpResponse<String> response = send("/accounts/" + account + "/deposit", "{\"amount\":" + amount + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    /** The deposits of the account's document once it has applied the commit of {@code token}. */
    private List<Long> amounts(String account, String token) throws Exception {
        HttpResponse<String> read = get("/views/picky/" + account + "?after=" + token + "&wait=20s");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        List<Long> amounts = new ArrayList<>();
        JSON.readTree(read.body()).path("amounts").forEach(amount -> amounts.add(amount.asLong()));
        return amounts;
    }

    private JsonNode awaitStopped(String name) throws Exception {
        return awaitStopped(name, null);
    }

    /** Waits until the projection is stopped by a failure other than the one at {@code notAt}. */
    private JsonNode awaitStopped(String name, String notAt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode projection = projection(name);
            if (projection.path("state").asText().equals("stopped")
                    && !projection.path("failure").path("at").asText().equals(notAt)) {
                return projection;
            }
            assertThat(System.nanoTime()).as("projection " + name + " stopped in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private JsonNode projection(String name) throws Exception {
        for (JsonNode projection : JSON.readTree(get("/projections").body()).path("projections")) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    /** The problem's slug, after checking its status and media type. */
    private static String problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        return JSON.readTree(response.body()).path("type").asText().replace("urn:cairn:problem:", "");
    }

    private HttpResponse<String> post(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
