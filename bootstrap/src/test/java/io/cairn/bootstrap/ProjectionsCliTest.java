package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.bootstrap.cli.Cli;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar cairn.jar projections ...} end to end, against a real Cairn started here (the memory backend):
 * what an operator sees and the exit codes, for a running projection, a stopped one retried and skipped, and every
 * refusal.
 */
class ProjectionsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;
    private Cairn cairn;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.close();
        }
        ProjectionOperationsServiceTest.FIXED.set(false);
    }

    @Test
    void list_retry_and_skip_operate_a_stopped_projection() throws Exception {
        cairn = ProjectionOperationsServiceTest.start(TestStores.MEMORY.environment(dataDir,
                "CAIRN_PROJECTION_FAILURE_BACKOFF", "10ms"));
        Cli listed = Cli.run("projections", "list", "--url", url());
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).containsPattern("picky\\s+documents\\s+running")
                .containsPattern("live-feed\\s+live-feed\\s+running");

        String account = UUID.randomUUID().toString();
        send("/accounts/" + account + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}");
        send("/accounts/" + account + "/deposit", "{\"amount\":13}");
        awaitState("picky", "stopped");
        Cli stopped = Cli.run("projections", "list", "--url", url());
        assertThat(stopped.out()).containsPattern("picky\\s+documents\\s+stopped")
                .contains("stopped at account-" + account + "@2 (position ").contains("13 is unlucky");

        Cli retried = Cli.run("projections", "retry", "picky", "--url", url());
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(retried.out()).contains("projection picky runs again from its checkpoint");
        awaitState("picky", "stopped"); // still broken: stopped again

        Cli skipped = Cli.run("projections", "skip", "picky", "--url", url());
        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).contains("projection picky skipped account-" + account + "@2 (position ")
                .contains("13 is unlucky").contains("runs again");
        awaitState("picky", "running");
        assertThat(Cli.run("projections", "list", "--url", url()).out())
                .containsPattern("picky\\s+documents\\s+running\\s+.*\\s1\\n")
                .contains("skipped account-" + account + "@2");

        Cli again = Cli.run("projections", "skip", "picky", "--url", url());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(6);
        assertThat(again.err()).contains("cairn: cannot skip a commit of projection picky (projection-not-stopped)")
                .contains("is not stopped");
        Cli notAllowed = Cli.run("projections", "skip", "accounts-view", "--url", url());
        assertThat(notAllowed.exitCode()).as(notAllowed.toString()).isEqualTo(6);
        assertThat(notAllowed.err()).contains("skip-not-allowed").contains("retry instead");
        Cli unknown = Cli.run("projections", "retry", "nothing", "--url", url());
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(5);
        assertThat(unknown.err()).contains("no projection is named 'nothing'")
                .contains("`cairn projections list` shows the projections");
    }

    @Test
    void rebuild_says_clearly_what_the_server_answers() throws Exception {
        cairn = ProjectionOperationsServiceTest.start(TestStores.MEMORY.environment(dataDir));
        boolean served = JSON.readTree(get("/openapi.json")).path("paths").has("/projections/{name}/rebuild");
        Cli rebuilt = Cli.run("projections", "rebuild", "picky", "--url", url(), "--poll-millis", "50");
        if (served) { // once generations are built: a real rebuild of a small projection, followed to its end
            assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
            assertThat(rebuilt.out()).contains("rebuilding projection picky into generation 2")
                    .contains("projection picky rebuilt: queries read generation 2");
        } else { // a server without the rebuild route
            assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isEqualTo(5);
            assertThat(rebuilt.err()).contains("cannot rebuild projection picky: " + url()
                    + " has no POST /projections/picky/rebuild (404)");
        }
    }

    @Test
    void an_unreachable_server_and_refused_credentials_are_their_own_exit_codes() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli unreachable = Cli.run("projections", "list", "--url", "http://127.0.0.1:" + closed);
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach Cairn at http://127.0.0.1:" + closed)
                .contains("--url");

        String admin = UUID.randomUUID().toString();
        String reader = UUID.randomUUID().toString();
        Path keys = Files.writeString(dataDir.resolve("api-keys"), "ops admin " + HttpSecurityConfigTest.sha256(admin)
                + "\ndashboard read " + HttpSecurityConfigTest.sha256(reader) + "\n");
        cairn = ProjectionOperationsServiceTest.start(TestStores.MEMORY.environment(dataDir, "CAIRN_AUTH_MODE",
                "api-keys", "CAIRN_AUTH_API_KEYS_FILE", keys.toString()));
        Cli anonymous = Cli.run("projections", "list", "--url", url());
        assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(4);
        assertThat(anonymous.err()).contains("the server wants credentials (401").contains("--api-key");
        Cli readOnly = Cli.run("projections", "retry", "picky", "--url", url(), "--api-key", reader);
        assertThat(readOnly.exitCode()).as(readOnly.toString()).isEqualTo(4);
        assertThat(readOnly.err()).contains("lack the role it needs (403").contains("need admin");
        assertThat(Cli.run("projections", "list", "--url", url(), "--api-key", reader).exitCode()).isZero();
        Cli running = Cli.run("projections", "retry", "picky", "--url", url(), "--bearer", admin);
        assertThat(running.exitCode()).as(running.toString()).isEqualTo(6);
        assertThat(running.err()).contains("projection-not-stopped");
    }

    private void awaitState(String name, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            for (JsonNode projection : JSON.readTree(get("/projections")).path("projections")) {
                if (projection.path("name").asText().equals(name) && projection.path("state").asText().equals(state)) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(name + " " + state + " in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + cairn.httpPort();
    }

    private void send(String path, String json) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
