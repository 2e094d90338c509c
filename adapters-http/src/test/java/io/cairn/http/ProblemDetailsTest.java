package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProblemDetailsTest {

    private static final String OPEN = "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}";

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    // 400: malformed or invalid input

    @Test
    void malformed_json_is_400_malformed_json() {
        String id = cairn.anOpenAccount(0);
        JsonNode problem = assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":"), 400,
                "malformed-json");
        assertThat(problem.path("detail").asText()).contains("line 1");
    }

    @Test
    void a_duplicate_key_is_malformed_json() {
        String id = cairn.anOpenAccount(0);
        assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1,\"amount\":2}"), 400, "malformed-json");
    }

    @Test
    void an_unknown_field_is_400_naming_it() {
        String id = cairn.anOpenAccount(0);
        JsonNode problem = assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1,\"note\":\"x\"}"),
                "note");
        assertThat(problem.path("detail").asText()).contains("unknown field 'note'");
    }

    @Test
    void a_field_of_the_wrong_type_is_400_naming_it() {
        String id = cairn.anOpenAccount(0);
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":\"100\"}"), "amount");
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":true}"), "amount");
        assertInvalid(cairn.post("/accounts/" + TestCairn.newAccountId() + "/open",
                "{\"owner\":5,\"currency\":\"EUR\"}"), "owner");
    }

    @Test
    void a_body_that_is_not_an_object_is_400() {
        String id = cairn.anOpenAccount(0);
        assertProblem(cairn.post("/accounts/" + id + "/deposit", "[1]"), 400, "invalid-input");
    }

    @Test
    void a_null_body_is_400_on_every_post_and_stores_nothing() {
        String id = cairn.anOpenAccount(0);
        String stream = "order-" + UUID.randomUUID();

        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "null"), "body");
        assertInvalid(cairn.post("/accounts/" + UUID.randomUUID() + "/open", "null"), "body");
        assertInvalid(cairn.post("/streams/" + stream, "null"), "body");
        assertProblem(cairn.get("/streams/" + stream), 404, "stream-not-found");
        assertThat(cairn.get("/accounts/" + id).body()).contains("\"revision\":1");
    }

    @Test
    void two_json_values_in_one_body_are_malformed_json() {
        String id = cairn.anOpenAccount(0);
        assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1} {}"), 400, "malformed-json");
    }

    @Test
    void a_float_amount_is_400() {
        String id = cairn.anOpenAccount(0);
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1.5}"), "amount");
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1.0}"), "amount");
    }

    @Test
    void an_amount_out_of_range_is_400() {
        String id = cairn.anOpenAccount(0);
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":99999999999999999999}"), "amount");
    }

    @Test
    void a_negative_or_zero_or_missing_amount_is_400() {
        String id = cairn.anOpenAccount(0);
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":-5}"), "amount");
        assertInvalid(cairn.post("/accounts/" + id + "/withdraw", "{\"amount\":0}"), "amount");
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{}"), "amount");
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":null}"), "amount");
    }

    @Test
    void an_invalid_open_command_is_400_naming_the_field() {
        assertInvalid(cairn.post("/accounts/" + TestCairn.newAccountId() + "/open",
                "{\"owner\":\" \",\"currency\":\"EUR\"}"), "owner");
        assertInvalid(cairn.post("/accounts/" + TestCairn.newAccountId() + "/open",
                "{\"owner\":\"Ada\",\"currency\":\"euro\"}"), "currency");
        assertInvalid(cairn.post("/accounts/" + TestCairn.newAccountId() + "/open",
                "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":-1}"), "overdraftLimit");
        assertInvalid(cairn.post("/accounts/" + TestCairn.newAccountId() + "/open", "{\"currency\":\"EUR\"}"), "owner");
    }

    @Test
    void a_bad_account_id_is_400() {
        assertInvalid(cairn.post("/accounts/a%20b/open", OPEN), "accountId");
        assertInvalid(cairn.post("/accounts/" + "x".repeat(200) + "/open", OPEN), "accountId");
        assertInvalid(cairn.get("/accounts/a$b"), "accountId");
    }

    @Test
    void a_bad_stream_id_is_400() {
        assertInvalid(cairn.post("/streams/a$b", "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1}]}"),
                "stream");
        assertInvalid(cairn.get("/streams/" + "s".repeat(201)), "stream");
    }

    @Test
    void an_expected_revision_that_is_not_a_revision_is_400() {
        String stream = TestCairn.newStream();
        for (String bad : new String[] {"\"abc\"", "1.5", "-1", "true", "{}", "null", "99999999999999999999"}) {
            Response response = cairn.post("/streams/" + stream,
                    "{\"expectedRevision\":" + bad + ",\"events\":[{\"type\":\"T\",\"data\":1}]}");
            assertInvalid(response, "expectedRevision");
        }
        assertInvalid(cairn.post("/streams/" + stream, "{\"events\":[{\"type\":\"T\",\"data\":1}]}"), "expectedRevision");
        assertThat(cairn.get("/streams/" + stream).status()).isEqualTo(404);
    }

    @Test
    void an_empty_or_missing_event_list_is_400() {
        String stream = TestCairn.newStream();
        assertInvalid(cairn.post("/streams/" + stream, "{\"expectedRevision\":\"any\",\"events\":[]}"), "events");
        assertInvalid(cairn.post("/streams/" + stream, "{\"expectedRevision\":\"any\"}"), "events");
    }

    @Test
    void an_event_without_data_or_type_is_400_naming_it() {
        String stream = TestCairn.newStream();
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1},{\"type\":\"T\"}]}"),
                "events[1].data");
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"data\":1}]}"), "events[0].type");
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"no spaces\",\"data\":1}]}"), "events[0].type");
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1,\"metadata\":[1]}]}"),
                "events[0].metadata");
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1,\"extra\":1}]}"),
                "events[0].extra");
    }

    @Test
    void a_commit_id_that_is_not_a_uuid_or_disagrees_with_the_key_is_400() {
        String stream = TestCairn.newStream();
        String events = ",\"events\":[{\"type\":\"T\",\"data\":1}]}";
        assertInvalid(cairn.post("/streams/" + stream, "{\"expectedRevision\":\"any\",\"commitId\":\"nope\"" + events),
                "commitId");
        assertInvalid(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"commitId\":\"" + UUID.randomUUID() + "\"" + events, UUID.randomUUID()),
                "commitId");
    }

    @Test
    void a_bad_idempotency_key_is_400() {
        String id = cairn.anOpenAccount(0);
        JsonNode problem = assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}",
                "Idempotency-Key", "not-a-uuid"), "Idempotency-Key");
        assertThat(problem.path("detail").asText()).contains("UUID");
        assertInvalid(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}", "Idempotency-Key", "1-1-1-1-1"),
                "Idempotency-Key");
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong()).isZero();
    }

    @Test
    void a_bad_consistency_is_400() {
        String id = cairn.anOpenAccount(0);
        assertInvalid(cairn.get("/accounts/" + id + "?consistency=linearizable"), "consistency");
    }

    @Test
    void bad_paging_parameters_are_400() {
        String stream = TestCairn.newStream();
        assertInvalid(cairn.get("/streams/" + stream + "?fromRevision=0"), "fromRevision");
        assertInvalid(cairn.get("/streams/" + stream + "?fromRevision=abc"), "fromRevision");
        assertInvalid(cairn.get("/streams/" + stream + "?fromRevision=1.5"), "fromRevision");
        assertInvalid(cairn.get("/streams/" + stream + "?limit=0"), "limit");
        assertInvalid(cairn.get("/streams/" + stream + "?limit=1001"), "limit");
        assertInvalid(cairn.get("/streams/" + stream + "?limit=ten"), "limit");
    }

    // 404

    @Test
    void an_unknown_account_is_404_for_a_query_and_for_a_command() {
        String id = TestCairn.newAccountId();
        JsonNode get = assertProblem(cairn.get("/accounts/" + id), 404, "account-not-found");
        assertThat(get.path("accountId").asText()).isEqualTo(id);
        assertProblem(cairn.get("/accounts/" + id + "?consistency=strong"), 404, "account-not-found");
        JsonNode deposit = assertProblem(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}"), 404,
                "account-not-found");
        assertThat(deposit.path("reason").asText()).isEqualTo("account_not_open");
        assertProblem(cairn.post("/accounts/" + id + "/close", "{}"), 404, "account-not-found");
    }

    @Test
    void an_unknown_stream_is_404() {
        JsonNode problem = assertProblem(cairn.get("/streams/" + TestCairn.newStream()), 404, "stream-not-found");
        assertThat(problem.path("stream").asText()).startsWith("order-");
    }

    @Test
    void an_unknown_route_is_404_problem_json() {
        assertProblem(cairn.get("/nowhere"), 404, "not-found");
        assertProblem(cairn.post("/accounts/x/explode", "{}"), 404, "not-found");
        Response html = cairn.send(HttpRequest.newBuilder(cairn.uri("/nowhere")).header("Accept", "text/html").GET());
        assertProblem(html, 404, "not-found");
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        Response response = cairn.send(HttpRequest.newBuilder(cairn.uri("/accounts/x")).DELETE());
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.header("Allow")).contains("GET");
    }

    // 409

    @Test
    void a_revision_conflict_on_streams_is_409_with_the_actual_revision() {
        String stream = TestCairn.newStream();
        assertThat(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"no_stream\",\"events\":[{\"type\":\"T\",\"data\":1}]}").status()).isEqualTo(201);

        JsonNode exact = assertProblem(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":0,\"events\":[{\"type\":\"T\",\"data\":2}]}"), 409, "revision-conflict");
        assertThat(exact.path("actualRevision").asLong()).isEqualTo(1);
        assertThat(exact.path("expectedRevision").asText()).isEqualTo("no_stream");

        JsonNode ahead = assertProblem(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":5,\"events\":[{\"type\":\"T\",\"data\":2}]}"), 409, "revision-conflict");
        assertThat(ahead.path("actualRevision").asLong()).isEqualTo(1);
        assertThat(ahead.path("expectedRevision").asLong()).isEqualTo(5);
        assertThat(ahead.path("stream").asText()).isEqualTo(stream);
    }

    // 413

    @Test
    void a_body_over_the_limit_is_413_before_it_is_read() {
        String id = cairn.anOpenAccount(0);
        String huge = "{\"amount\":1,\"pad\":\"" + "x".repeat((int) HttpConfig.DEFAULT_MAX_REQUEST_BYTES) + "\"}";
        JsonNode problem = assertProblem(cairn.post("/accounts/" + id + "/deposit", huge), 413, "request-too-large");
        assertThat(problem.path("limit").asLong()).isEqualTo(HttpConfig.DEFAULT_MAX_REQUEST_BYTES);
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong()).isZero();
    }

    @Test
    void a_body_over_the_limit_sent_with_expect_continue_is_refused_before_it_is_sent() throws IOException {
        // a raw socket: the JDK 17 client sends the body anyway on a final answer to Expect: 100-continue
        String id = cairn.anOpenAccount(0);
        String raw = rawRequest("POST /accounts/" + id + "/deposit HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
        assertThat(raw).contains("urn:cairn:problem:request-too-large");
    }

    @Test
    void a_chunked_body_over_the_limit_is_413() {
        String id = cairn.anOpenAccount(0);
        byte[] huge = ("{\"amount\":1,\"pad\":\"" + "x".repeat((int) HttpConfig.DEFAULT_MAX_REQUEST_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Response response = cairn.send(HttpRequest.newBuilder(cairn.uri("/accounts/" + id + "/deposit"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))));
        assertProblem(response, 413, "request-too-large");
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong()).isZero();
    }

    @Test
    void a_commit_the_store_cannot_hold_is_413() {
        String stream = TestCairn.newStream();
        String big = "\"" + "y".repeat(500 * 1024) + "\"";
        JsonNode problem = assertProblem(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":" + big + "}]}"), 413,
                "commit-too-large");
        assertThat(problem.path("limit").asLong()).isPositive();
        assertThat(cairn.get("/streams/" + stream).status()).isEqualTo(404);
    }

    // 415

    @Test
    void a_body_that_is_not_json_is_415() {
        String id = cairn.anOpenAccount(0);
        Response response = cairn.send(HttpRequest.newBuilder(cairn.uri("/accounts/" + id + "/deposit"))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<amount>1</amount>")));
        assertProblem(response, 415, "unsupported-media-type");
        Response charset = cairn.send(HttpRequest.newBuilder(cairn.uri("/accounts/" + id + "/deposit"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}")));
        assertThat(charset.status()).isEqualTo(200);
    }

    // 422

    @Test
    void each_business_rejection_is_422_with_its_reason() {
        String open = cairn.anOpenAccount(10);
        assertRejected(cairn.post("/accounts/" + open + "/withdraw", "{\"amount\":11}"), "insufficient_funds");
        assertRejected(cairn.post("/accounts/" + open + "/open", OPEN), "already_open");
        assertRejected(cairn.post("/accounts/" + open + "/close", "{}"), "balance_not_zero");
        assertRejected(cairn.post("/accounts/" + open + "/deposit", "{\"amount\":" + Long.MAX_VALUE + "}"),
                "balance_overflow");

        String closed = cairn.anOpenAccount(0);
        assertThat(cairn.post("/accounts/" + closed + "/close", "{}").status()).isEqualTo(200);
        assertRejected(cairn.post("/accounts/" + closed + "/deposit", "{\"amount\":1}"), "account_closed");
    }

    private static void assertRejected(Response response, String reason) {
        JsonNode problem = assertProblem(response, 422, reason.replace('_', '-'));
        assertThat(problem.path("reason").asText()).isEqualTo(reason);
    }

    // what Jetty refuses before Javalin sees it

    @Test
    void a_request_jetty_refuses_is_still_a_problem() throws IOException {
        String raw = rawRequest("GET /accounts/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400");
        assertThat(raw).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(raw).contains("\"status\":400").doesNotContain("<html");
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", cairn.api.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
