package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void an_appended_commit_reads_back_with_its_events_as_json() {
        String stream = TestCairn.newStream();
        UUID commitId = UUID.randomUUID();
        Response appended = cairn.post("/streams/" + stream, "{\"expectedRevision\":\"no_stream\",\"commitId\":\""
                + commitId + "\",\"events\":["
                + "{\"type\":\"OrderPlaced\",\"data\":{\"total\":3,\"lines\":[\"a\",\"b\"]},\"metadata\":{\"user\":\"ada\"}},"
                + "{\"type\":\"OrderPaid\",\"data\":\"cash\"}]}");
        assertThat(appended.status()).isEqualTo(201);
        assertThat(appended.contentType()).startsWith("application/json");
        assertThat(appended.json().path("revision").asLong()).isEqualTo(1);

        JsonNode read = cairn.get("/streams/" + stream).json();
        assertThat(read.path("stream").asText()).isEqualTo(stream);
        assertThat(read.path("revision").asLong()).isEqualTo(1);
        JsonNode commit = read.path("commits").get(0);
        assertThat(commit.path("revision").asLong()).isEqualTo(1);
        assertThat(commit.path("commitId").asText()).isEqualTo(commitId.toString());
        JsonNode placed = commit.path("events").get(0);
        assertThat(placed.path("eventNumber").asLong()).isEqualTo(1);
        assertThat(placed.path("type").asText()).isEqualTo("OrderPlaced");
        assertThat(placed.path("data").path("total").asInt()).isEqualTo(3);
        assertThat(placed.path("data").path("lines").get(1).asText()).isEqualTo("b");
        assertThat(placed.path("metadata").path("user").asText()).isEqualTo("ada");
        assertThat(Instant.parse(placed.path("recordedAt").asText())).isBeforeOrEqualTo(Instant.now());
        JsonNode paid = commit.path("events").get(1);
        assertThat(paid.path("eventNumber").asLong()).isEqualTo(2);
        assertThat(paid.path("data").asText()).isEqualTo("cash");
        assertThat(paid.path("metadata").isObject()).isTrue();
        assertThat(paid.path("metadata")).isEmpty();
    }

    @Test
    void an_events_version_is_stored_and_shown_and_defaults_to_1() {
        String stream = TestCairn.newStream();
        Response appended = cairn.post("/streams/" + stream, "{\"expectedRevision\":\"no_stream\",\"events\":["
                + "{\"type\":\"OrderPlaced\",\"data\":{\"total\":3},\"version\":2},"
                + "{\"type\":\"OrderPaid\",\"data\":{}}]}");
        assertThat(appended.status()).isEqualTo(201);

        JsonNode events = cairn.get("/streams/" + stream).json().path("commits").get(0).path("events");
        assertThat(events.get(0).path("version").asInt()).isEqualTo(2);
        assertThat(events.get(1).path("version").asInt()).isEqualTo(1);
    }

    @Test
    void a_version_that_is_not_a_whole_number_from_1_is_refused_and_stores_nothing() {
        String stream = TestCairn.newStream();
        for (String version : new String[] {"0", "-1", "\"2\"", "1.5"}) {
            Response refused = cairn.post("/streams/" + stream, "{\"expectedRevision\":\"no_stream\",\"events\":["
                    + "{\"type\":\"OrderPlaced\",\"data\":{},\"version\":" + version + "}]}");
            assertThat(refused.status()).as("version " + version).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as("version " + version).contains("version");
        }
        assertThat(cairn.get("/streams/" + stream).status()).isEqualTo(404);
    }

    @Test
    void appends_with_exact_and_any_expected_revisions_advance_the_stream() {
        String stream = TestCairn.newStream();
        assertThat(append(stream, "0").json().path("revision").asLong()).isEqualTo(1);
        assertThat(append(stream, "1").json().path("revision").asLong()).isEqualTo(2);
        assertThat(append(stream, "\"any\"").json().path("revision").asLong()).isEqualTo(3);
        assertThat(cairn.get("/streams/" + stream).json().path("revision").asLong()).isEqualTo(3);
    }

    @Test
    void a_stream_reads_page_by_page() {
        String stream = TestCairn.newStream();
        for (int i = 0; i < 5; i++) {
            assertThat(append(stream, "\"any\"").status()).isEqualTo(201);
        }

        JsonNode first = cairn.get("/streams/" + stream + "?limit=2").json();
        JsonNode second = cairn.get("/streams/" + stream + "?fromRevision=3&limit=2").json();
        JsonNode last = cairn.get("/streams/" + stream + "?fromRevision=5&limit=2").json();
        JsonNode past = cairn.get("/streams/" + stream + "?fromRevision=9").json();

        assertThat(revisions(first)).containsExactly(1L, 2L);
        assertThat(revisions(second)).containsExactly(3L, 4L);
        assertThat(revisions(last)).containsExactly(5L);
        assertThat(past.path("commits")).isEmpty();
        for (JsonNode page : new JsonNode[] {first, second, last, past}) {
            assertThat(page.path("revision").asLong()).isEqualTo(5);
        }
        assertThat(cairn.get("/streams/" + stream).json().path("commits")).hasSize(5);
    }

    @Test
    void writes_to_an_aggregate_category_are_refused() {
        String id = cairn.anOpenAccount(0);
        Response response = cairn.post("/streams/account-" + id,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"Deposited\",\"data\":{\"amount\":1000000}}]}");
        assertInvalid(response, "stream");
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong()).isZero();
    }

    @Test
    void an_account_stream_can_be_read() {
        String id = cairn.anOpenAccount(7);
        JsonNode read = cairn.get("/streams/account-" + id).json();
        assertThat(read.path("revision").asLong()).isEqualTo(2);
        assertThat(read.path("commits").get(1).path("events").get(0).path("type").asText()).isEqualTo("Deposited");
        assertThat(read.path("commits").get(1).path("events").get(0).path("data").path("amount").asLong())
                .isEqualTo(7);
    }

    private static Response append(String stream, String expectedRevision) {
        return cairn.post("/streams/" + stream, "{\"expectedRevision\":" + expectedRevision
                + ",\"events\":[{\"type\":\"Ticked\",\"data\":{}}]}");
    }

    private static java.util.List<Long> revisions(JsonNode page) {
        java.util.List<Long> revisions = new java.util.ArrayList<>();
        page.path("commits").forEach(c -> revisions.add(c.path("revision").asLong()));
        return revisions;
    }
}
