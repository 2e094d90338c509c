package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @AfterEach
    void storeBackUp() {
        cairn.store.reset();
    }

    @Test
    void the_same_key_twice_on_a_deposit_answers_the_same_and_deposits_once() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();

        Response first = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);
        Response second = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void the_same_commit_id_twice_on_streams_answers_the_same_and_stores_one_commit() {
        String stream = TestCairn.newStream();
        String body = "{\"expectedRevision\":\"any\",\"commitId\":\"" + UUID.randomUUID()
                + "\",\"events\":[{\"type\":\"OrderPlaced\",\"data\":{\"total\":3}}]}";

        Response first = cairn.post("/streams/" + stream, body);
        Response second = cairn.post("/streams/" + stream, body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        JsonNode read = cairn.get("/streams/" + stream).json();
        assertThat(read.path("revision").asLong()).isEqualTo(1);
        assertThat(read.path("commits")).hasSize(1);
    }

    @Test
    void the_idempotency_key_is_the_commit_id_of_an_append_that_names_none() {
        String stream = TestCairn.newStream();
        UUID key = UUID.randomUUID();
        String body = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"OrderPlaced\",\"data\":1}]}";

        assertThat(cairn.post("/streams/" + stream, body, key).status()).isEqualTo(201);
        Response again = cairn.post("/streams/" + stream, body, key);

        assertThat(again.status()).isEqualTo(201);
        JsonNode read = cairn.get("/streams/" + stream).json();
        assertThat(read.path("commits")).hasSize(1);
        assertThat(read.path("commits").get(0).path("commitId").asText()).isEqualTo(key.toString());
    }

    @Test
    void a_rejected_withdraw_replayed_after_a_deposit_still_answers_the_original_422() {
        String id = cairn.anOpenAccount(10);
        UUID key = UUID.randomUUID();
        Response rejected = cairn.post("/accounts/" + id + "/withdraw", "{\"amount\":50}", key);
        assertProblem(rejected, 422, "insufficient-funds");

        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}").status()).isEqualTo(200);
        Response replayed = cairn.post("/accounts/" + id + "/withdraw", "{\"amount\":50}", key);

        assertThat(replayed.status()).isEqualTo(422);
        assertThat(replayed.body()).isEqualTo(rejected.body());
        assertThat(balance(id)).isEqualTo(110);
    }

    @Test
    void the_same_key_with_another_body_or_path_is_422_idempotency_key_reused() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key).status()).isEqualTo(200);

        assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":200}", key), 422,
                "idempotency-key-reused");
        assertProblem(cairn.post("/accounts/" + id + "/withdraw", "{\"amount\":100}", key), 422,
                "idempotency-key-reused");
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_repeat_while_the_first_still_runs_is_409_and_the_command_runs_once() throws Exception {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        cairn.store.holdAppends();
        CompletableFuture<HttpResponse<String>> first = cairn.client.sendAsync(
                HttpRequest.newBuilder(cairn.uri("/accounts/" + id + "/deposit"))
                        .header("Idempotency-Key", key.toString())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cairn.store.awaitAppendHeld()).isTrue();
        int appendsBefore = cairn.store.appends();

        Response concurrent = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);
        JsonNode problem = assertProblem(concurrent, 409, "request-in-progress");
        assertThat(concurrent.header("Retry-After")).isEqualTo("1");
        assertThat(problem.path("detail").asText()).contains(key.toString());

        cairn.store.release();
        HttpResponse<String> original = first.get(10, TimeUnit.SECONDS);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(cairn.store.appends()).isEqualTo(appendsBefore + 1);

        Response afterwards = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);
        assertThat(afterwards.status()).isEqualTo(200);
        assertThat(afterwards.body()).isEqualTo(original.body());
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_deposit_retried_after_a_restart_is_recognised_by_the_store() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        Response first = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);

        HttpApi restarted = cairn.restartedApi();
        try {
            Response retried = cairn.post(restarted, "/accounts/" + id + "/deposit", "{\"amount\":100}",
                    "Idempotency-Key", key.toString());
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.json()).isEqualTo(first.json());
            assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        } finally {
            restarted.stop();
        }
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_rejection_is_not_remembered_across_a_restart() {
        String id = cairn.anOpenAccount(10);
        UUID key = UUID.randomUUID();
        assertProblem(cairn.post("/accounts/" + id + "/withdraw", "{\"amount\":50}", key), 422, "insufficient-funds");
        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}").status()).isEqualTo(200);

        HttpApi restarted = cairn.restartedApi();
        try {
            Response decidedAfresh = cairn.post(restarted, "/accounts/" + id + "/withdraw", "{\"amount\":50}",
                    "Idempotency-Key", key.toString());
            assertThat(decidedAfresh.status()).isEqualTo(200);
        } finally {
            restarted.stop();
        }
        assertThat(balance(id)).isEqualTo(60);
    }

    @Test
    void a_request_that_met_a_store_outage_runs_again_with_the_same_key() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        cairn.store.goDown();
        assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key), 503, "store-unavailable");

        cairn.store.reset();
        Response retried = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_command_that_keeps_losing_to_other_writers_is_409_and_runs_again_with_the_same_key() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        cairn.store.conflictOnEveryAppend();
        Response lost = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);
        JsonNode problem = assertProblem(lost, 409, "concurrency-conflict");
        assertThat(problem.path("actualRevision").asLong()).isEqualTo(1);
        assertThat(lost.header("Retry-After")).isEqualTo("1");

        cairn.store.reset();
        Response retried = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":100}", key);

        assertThat(retried.status()).isEqualTo(200);
        assertThat(balance(id)).isEqualTo(100);
    }

    @Test
    void a_validation_error_is_replayed_as_it_was() {
        String id = cairn.anOpenAccount(0);
        UUID key = UUID.randomUUID();
        Response first = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":0}", key);
        Response second = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":0}", key);
        assertProblem(second, 400, "invalid-input");
        assertThat(second.body()).isEqualTo(first.body());
    }

    private static long balance(String id) {
        return cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong();
    }
}
