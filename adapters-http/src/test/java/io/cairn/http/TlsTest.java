package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore, with a self-signed certificate the test makes. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void the_port_serves_https_with_the_keystores_certificate_and_not_plain_http() throws Exception {
        Path keystore = SelfSignedKeystore.make(dir.resolve("cairn.p12"));
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open()
                .withTls(new TlsConfig(keystore, SelfSignedKeystore.PASSWORD)))) {
            HttpClient https = HttpClient.newBuilder().sslContext(SelfSignedKeystore.trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://127.0.0.1:" + cairn.api.port();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> opened = https.send(HttpRequest.newBuilder(URI.create(base + "/accounts/"
                                    + TestCairn.newAccountId() + "/open"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(opened.statusCode()).isEqualTo(200);

            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            // plain HTTP to the HTTPS port gets no HTTP answer (Jetty replies with TLS, or closes)
            assertThatThrownBy(() -> cairn.client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + cairn.api.port() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_wrong_keystore_password_fails_the_start() throws Exception {
        Path keystore = SelfSignedKeystore.make(dir.resolve("cairn.p12"));
        assertThatThrownBy(() -> TestCairn.start(HttpSecurity.open().withTls(new TlsConfig(keystore, "wrong"))))
                .isInstanceOf(Exception.class);
    }
}
