package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.accounts.AccountsDomain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole wiring with {@code cairn.auth.mode = api-keys}, as the README sets it up, over a real socket. */
class SecuredCairnTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void with_api_keys_only_a_known_key_gets_in_and_its_name_is_on_the_commit() throws Exception {
        String key = UUID.randomUUID().toString();
        Path keys = Files.writeString(dir.resolve("api-keys"),
                "# name roles sha-256\nbilling write " + HttpSecurityConfigTest.sha256(key) + "\n");
        try (Cairn cairn = Cairn.builder().config(CairnConfig.of(Map.of("cairn.store", "memory",
                        "cairn.http.port", "0", "cairn.http.host", "127.0.0.1", "cairn.auth.mode", "api-keys",
                        "cairn.auth.api-keys-file", keys.toString())))
                .domain(new AccountsDomain()).start()) {
            String base = "http://127.0.0.1:" + cairn.httpPort();
            String open = "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}";
            HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/accounts/42/open"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(open)));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"cairn\"");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/health"))).statusCode()).isEqualTo(200);

            HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(base + "/accounts/42/open"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(open)));
            assertThat(accepted.statusCode()).isEqualTo(200);
            JsonNode stream = new ObjectMapper().readTree(send(HttpRequest.newBuilder(
                    URI.create(base + "/streams/account-42")).header("Authorization", "Bearer " + key)).body());
            assertThat(stream.path("commits").get(0).path("metadata").path("principal").asText()).isEqualTo("billing");
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "/openapi.json"))
                    .header("Authorization", "Bearer " + key)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void without_authentication_on_every_interface_a_warning_is_logged() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Cairn.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Cairn cairn = Cairn.builder().config(CairnConfig.of(Map.of("cairn.store", "memory",
                        "cairn.http.port", "0", "cairn.http.host", "0.0.0.0")))
                .domain(new AccountsDomain()).start()) {
            assertThat(appender.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(event.getFormattedMessage()).contains("cairn.auth.mode is none").contains("0.0.0.0");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
