package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.application.PastState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Time travel through the wired service on each store, over a real socket: {@code ?revision=} and {@code ?at=} at
 * random points of a stream whose view is ahead of them, against the states the deposits made.
 */
class TimeTravelServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEPOSITS = 12;

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
    void time_travel_answers_the_states_a_replay_gives_at_random_revisions_and_instants(TestStores store)
            throws Exception {
        cairn = Cairn.start(CairnConfig.load(Optional.empty(), store.environment(dataDir)));
        String id = UUID.randomUUID().toString();
        String path = "/accounts/" + id;
        assertThat(post(path + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}").statusCode())
                .isEqualTo(200);
        List<Long> balances = new ArrayList<>(List.of(0L)); // the balance at revision i + 1
        for (int i = 1; i <= DEPOSITS; i++) {
            assertThat(post(path + "/deposit", "{\"amount\":" + i + "}").statusCode()).isEqualTo(200);
            balances.add(balances.get(i - 1) + i);
        }
        long current = DEPOSITS + 1;
        awaitView(path, current);
        Random random = new Random(7);

        for (int probe = 0; probe < 10; probe++) {
            long revision = 1 + random.nextInt((int) current);
            JsonNode past = json(get(path + "?revision=" + revision));
            assertThat(past.path("revision").asLong()).isEqualTo(revision);
            assertThat(past.path("balance").asLong()).as("balance at %d", revision)
                    .isEqualTo(balances.get((int) revision - 1));

            PastState<AccountState> found = cairn.aggregate(AccountsDomain.ACCOUNTS).atRevision(id, revision);
            PastState.Found<AccountState> state = (PastState.Found<AccountState>) found;
            if (revision == current) {
                assertThat(state.base()).as("the view is exactly there").isEqualTo(PastState.Base.VIEW);
                assertThat(state.commitsRead()).isZero();
            } else {
                // the view is ahead: from the start, or from a snapshot the service wrote on its own at or below
                assertThat(state.base()).as("the view at %d is ahead of %d", current, revision)
                        .isIn(PastState.Base.INITIAL, PastState.Base.SNAPSHOT);
                assertThat(state.baseRevision()).isLessThanOrEqualTo(revision);
                if (state.base() == PastState.Base.INITIAL) {
                    assertThat(state.baseRevision()).isZero();
                }
                assertThat(state.commitsRead()).isEqualTo(revision - state.baseRevision());
            }
        }

        List<Instant> recorded = new ArrayList<>();
        json(get("/streams/account-" + id)).path("commits").forEach(commit ->
                recorded.add(Instant.parse(commit.path("events").path(0).path("recordedAt").asText())));
        assertThat(recorded).hasSize((int) current);
        for (int probe = 0; probe < 10; probe++) {
            Instant instant = recorded.get(random.nextInt(recorded.size())).plusMillis(random.nextInt(3) - 1);
            long expected = recorded.stream().filter(at -> !at.isAfter(instant)).count();
            HttpResponse<String> answer = get(path + "?at=" + instant);
            if (expected == 0) {
                assertThat(answer.statusCode()).as("at %s, before the first commit", instant).isEqualTo(404);
                continue;
            }
            JsonNode past = json(answer);
            assertThat(past.path("revision").asLong()).as("revision at %s", instant).isEqualTo(expected);
            assertThat(past.path("balance").asLong()).isEqualTo(balances.get((int) expected - 1));
        }

        HttpResponse<String> beyond = get(path + "?revision=" + (current + 1));
        assertThat(beyond.statusCode()).isEqualTo(400);
        assertThat(json(beyond).path("currentRevision").asLong()).isEqualTo(current);
        assertThat(get(path + "?at=" + recorded.get(0).minusSeconds(1)).statusCode()).isEqualTo(404);
    }

    private void awaitView(String path, long revision) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (json(get(path)).path("revision").asLong() != revision) {
            assertThat(System.nanoTime()).as("the view reached revision %d in time", revision).isLessThan(deadline);
            Thread.sleep(10);
        }
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

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
