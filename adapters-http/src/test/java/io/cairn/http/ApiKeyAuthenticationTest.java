package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn.auth.mode = api-keys}, over real sockets: who gets in, with which role, and what a commit records. */
class ApiKeyAuthenticationTest {

    private static final String OPEN = "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}";

    @TempDir
    static Path dir;
    static Path keyFile;
    static final String READER = ApiKeyFiles.newKey();
    static final String WRITER = ApiKeyFiles.newKey();
    static final String ADMIN = ApiKeyFiles.newKey();
    static TestCairn cairn;

    @BeforeAll
    static void start() {
        keyFile = ApiKeyFiles.write(dir.resolve("keys"), "# name roles sha-256",
                ApiKeyFiles.line("dashboard", "read", READER),
                "",
                ApiKeyFiles.line("billing", "write", WRITER),
                ApiKeyFiles.line("ops", "admin", ADMIN));
        cairn = TestCairn.start(HttpSecurity.open()
                .withAuthentication(new Authentication.ApiKeys(keyFile, Duration.ZERO))
                .withMetricsAccess(Access.READ));
    }

    @AfterAll
    static void stop() {
        cairn.close();
    }

    @Test
    void a_request_without_a_key_is_401_with_a_bearer_challenge() {
        Response get = cairn.get("/accounts/" + TestCairn.newAccountId());
        assertProblem(get, 401, "unauthorized");
        assertThat(get.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"cairn\"");
        Response post = cairn.post("/accounts/" + TestCairn.newAccountId() + "/open", OPEN);
        assertProblem(post, 401, "unauthorized");
        Response basic = cairn.send(java.net.http.HttpRequest.newBuilder(cairn.uri("/all"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes())));
        assertProblem(basic, 401, "unauthorized");
    }

    @Test
    void an_unknown_key_is_401_invalid_token() {
        Response response = cairn.get("/all", ApiKeyFiles.newKey());
        assertProblem(response, 401, "unauthorized");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer realm=\"cairn\", error=\"invalid_token\"");
    }

    @Test
    void an_unknown_route_without_a_key_is_401_not_404() {
        assertProblem(cairn.get("/nowhere"), 401, "unauthorized");
        assertProblem(cairn.get("/nowhere", READER), 404, "not-found");
    }

    @Test
    void a_read_key_reads_but_may_not_write() {
        String id = TestCairn.newAccountId();
        assertThat(cairn.postAs(WRITER, "/accounts/" + id + "/open", OPEN).status()).isEqualTo(200);
        assertThat(cairn.get("/accounts/" + id, READER).status()).isEqualTo(200);
        assertThat(cairn.get("/streams/account-" + id, READER).status()).isEqualTo(200);
        assertThat(cairn.get("/openapi.json", READER).status()).isEqualTo(200);

        JsonNode problem = assertProblem(cairn.postAs(READER, "/accounts/" + id + "/deposit", "{\"amount\":5}"),
                403, "forbidden");
        assertThat(problem.path("principal").asText()).isEqualTo("dashboard");
        assertThat(problem.path("requiredRole").asText()).isEqualTo("write");
        assertProblem(cairn.postAs(READER, "/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{}}]}"), 403, "forbidden");
    }

    @Test
    void an_admin_key_may_write_too_since_roles_are_ordered() {
        String id = TestCairn.newAccountId();
        assertThat(cairn.postAs(ADMIN, "/accounts/" + id + "/open", OPEN).status()).isEqualTo(200);
        assertThat(cairn.get("/accounts/" + id, ADMIN).status()).isEqualTo(200);
    }

    @Test
    void a_route_with_no_rule_needs_admin_for_anything_but_get() {
        assertProblem(cairn.send(java.net.http.HttpRequest.newBuilder(cairn.uri("/projections/x/compact"))
                .header("Authorization", "Bearer " + WRITER)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())), 403, "forbidden");
        assertProblem(cairn.send(java.net.http.HttpRequest.newBuilder(cairn.uri("/projections/x/compact"))
                .header("Authorization", "Bearer " + ADMIN)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())), 404, "not-found");
    }

    @Test
    void a_path_written_another_way_still_needs_the_role_of_the_route_it_reaches() {
        String stream = TestCairn.newStream();
        String tick = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{}}]}";
        long before = cairn.storedCommits();
        for (String path : new String[] {"/stre%61ms/" + stream, "//streams/" + stream, "/streams//" + stream,
                "/streams/" + stream + "/", "/./streams/" + stream, "/x/../streams/" + stream}) {
            Response response = cairn.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + cairn.api.port() + path))
                    .header("Authorization", "Bearer " + READER).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(tick)));
            assertThat(response.status()).as(path + ": " + response.body()).isIn(400, 403, 404, 405);
        }
        assertThat(cairn.storedCommits()).isEqualTo(before);
    }

    @Test
    void every_commit_records_the_principal_that_made_it_on_streams_and_all() {
        String id = TestCairn.newAccountId();
        assertThat(cairn.postAs(WRITER, "/accounts/" + id + "/open", OPEN).status()).isEqualTo(200);
        String stream = TestCairn.newStream();
        assertThat(cairn.postAs(ADMIN, "/streams/" + stream,
                "{\"expectedRevision\":\"no_stream\",\"events\":[{\"type\":\"T\",\"data\":{},"
                        + "\"metadata\":{\"source\":\"test\"}}]}").status()).isEqualTo(201);

        JsonNode command = cairn.get("/streams/account-" + id, READER).json().path("commits").get(0);
        assertThat(command.path("metadata").path("principal").asText()).isEqualTo("billing");
        assertThat(command.path("metadata").path("command").asText()).isEqualTo("OpenAccount");
        JsonNode append = cairn.get("/streams/" + stream, READER).json().path("commits").get(0);
        assertThat(append.path("metadata").path("principal").asText()).isEqualTo("ops");
        assertThat(append.path("events").get(0).path("metadata").path("source").asText()).isEqualTo("test");
        boolean onAll = false;
        for (JsonNode commit : cairn.get("/all?limit=1000", READER).json().path("commits")) {
            if (commit.path("stream").asText().equals(stream)) {
                onAll = commit.path("metadata").path("principal").asText().equals("ops");
            }
        }
        assertThat(onAll).isTrue();
    }

    @Test
    void a_principal_in_the_clients_own_event_metadata_is_refused_and_nothing_is_stored() {
        String stream = TestCairn.newStream();
        long before = cairn.storedCommits();
        JsonNode problem = assertProblem(cairn.postAs(WRITER, "/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{},"
                        + "\"metadata\":{\"principal\":\"ops\"}}]}"), 400, "invalid-input");
        assertThat(problem.path("field").asText()).isEqualTo("events[0].metadata.principal");
        assertThat(cairn.storedCommits()).isEqualTo(before);
    }

    @Test
    void a_key_another_caller_used_is_refused_to_the_second() {
        String id = TestCairn.newAccountId();
        UUID key = UUID.randomUUID();
        assertThat(cairn.post("/accounts/" + id + "/open", OPEN, "Authorization", "Bearer " + WRITER,
                IdempotentPosts.HEADER, key.toString()).status()).isEqualTo(200);
        assertProblem(cairn.post("/accounts/" + id + "/open", OPEN, "Authorization", "Bearer " + ADMIN,
                IdempotentPosts.HEADER, key.toString()), 422, "idempotency-key-reused");
    }

    @Test
    void health_stays_open_and_metrics_needs_read() {
        assertThat(cairn.get("/health").status()).isEqualTo(200);
        assertProblem(cairn.get("/metrics"), 401, "unauthorized");
        assertThat(cairn.get("/metrics", READER).status()).isEqualTo(200);
    }

    @Test
    void the_key_file_is_read_again_when_it_changes_and_a_bad_one_keeps_the_keys_before() throws IOException {
        Path file = dir.resolve("reloaded");
        String first = ApiKeyFiles.newKey();
        String second = ApiKeyFiles.newKey();
        ApiKeyFiles.write(file, ApiKeyFiles.line("first", "read", first));
        try (TestCairn own = TestCairn.start(HttpSecurity.open()
                .withAuthentication(new Authentication.ApiKeys(file, Duration.ZERO)))) {
            assertThat(own.get("/all", first).status()).isEqualTo(200);
            assertProblem(own.get("/all", second), 401, "unauthorized");

            ApiKeyFiles.write(file, ApiKeyFiles.line("second", "read", second));
            assertThat(own.get("/all", second).status()).isEqualTo(200);
            assertProblem(own.get("/all", first), 401, "unauthorized");

            ApiKeyFiles.write(file, ApiKeyFiles.line("third", "read,write", ApiKeyFiles.newKey()), "broken line");
            assertThat(own.get("/all", second).status()).as("the keys before a bad reload").isEqualTo(200);

            Files.delete(file);
            assertThat(own.get("/all", second).status()).as("the keys before the file went").isEqualTo(200);
        }
    }

    @Test
    void a_malformed_key_file_names_the_file_and_the_line() throws IOException {
        Path file = dir.resolve("bad-keys");
        String good = ApiKeyFiles.line("a", "read", ApiKeyFiles.newKey());
        ApiKeyFiles.write(file, "# comment", good, "b reader " + "0".repeat(64));
        assertThatThrownBy(() -> ApiKeys.read(file))
                .isInstanceOf(ApiKeys.InvalidApiKeyFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 3")
                .hasMessageContaining("unknown role 'reader'");
        ApiKeyFiles.write(file, good, "c write abc");
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining("line 2").hasMessageContaining("64 hex");
        ApiKeyFiles.write(file, good, good);
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining("line 2").hasMessageContaining("twice");
        ApiKeyFiles.write(file, good, "only two");
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining("line 2").hasMessageContaining("three fields");
        ApiKeyFiles.write(file, "# nothing");
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> ApiKeys.read(dir.resolve("missing"))).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> TestCairn.start(HttpSecurity.open()
                .withAuthentication(new Authentication.ApiKeys(dir.resolve("missing")))))
                .isInstanceOf(ApiKeys.InvalidApiKeyFileException.class);
    }
}
