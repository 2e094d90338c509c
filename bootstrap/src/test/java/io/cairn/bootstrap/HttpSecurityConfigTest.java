package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.bootstrap.CairnConfig.InvalidConfigException;
import io.cairn.http.Access;
import io.cairn.http.Authentication;
import io.cairn.http.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of issue 14: authentication, TLS, limits, and where the server binds. */
class HttpSecurityConfigTest {

    @TempDir
    Path dir;

    @Test
    void by_default_there_is_no_authentication_the_server_binds_loopback_and_the_limits_are_the_documented_ones() {
        CairnConfig config = CairnConfig.load(Optional.empty(), Map.of());
        assertThat(config.httpSecurity().authentication()).isInstanceOf(Authentication.None.class);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpHostIsLoopback()).isTrue();
        assertThat(config.httpSecurity().metricsAccess()).isEqualTo(Access.READ);
        assertThat(config.httpSecurity().tls()).isEmpty();
        assertThat(config.httpSecurity().limits()).isEqualTo(Limits.defaults());
    }

    @Test
    void a_host_set_explicitly_is_kept_and_with_authentication_the_default_is_every_interface() throws Exception {
        assertThat(CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_HOST", "0.0.0.0")).httpHostIsLoopback())
                .isFalse();
        CairnConfig keys = CairnConfig.load(Optional.empty(), Map.of("CAIRN_AUTH_MODE", "api-keys",
                "CAIRN_AUTH_API_KEYS_FILE", keyFile("ops admin " + sha256("k")).toString()));
        assertThat(keys.httpHost()).isEqualTo("0.0.0.0");
        assertThat(keys.httpSecurity().authentication()).isEqualTo(new Authentication.ApiKeys(dir.resolve("keys")));
    }

    @Test
    void api_keys_need_a_readable_well_formed_file_and_the_error_names_the_key_the_file_and_the_line() throws Exception {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_AUTH_MODE", "api-keys")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.auth.api-keys-file (CAIRN_AUTH_API_KEYS_FILE)");
        Path bad = keyFile("ops admin " + sha256("k"), "dev superuser " + sha256("d"));
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_AUTH_MODE", "api-keys",
                "CAIRN_AUTH_API_KEYS_FILE", bad.toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("line 2")
                .hasMessageContaining("unknown role 'superuser'");
    }

    @Test
    void a_malformed_key_file_stops_the_jar_with_exit_code_2() throws Exception {
        Path bad = keyFile("just-a-name");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            System.setProperty("cairn.auth.mode", "api-keys");
            System.setProperty("cairn.auth.api-keys-file", bad.toString());
            System.setProperty("cairn.store", "memory");
            com.typesafe.config.ConfigFactory.invalidateCaches();
            exit = new picocli.CommandLine(new Main()).execute();
        } finally {
            System.clearProperty("cairn.auth.mode");
            System.clearProperty("cairn.auth.api-keys-file");
            System.clearProperty("cairn.store");
            com.typesafe.config.ConfigFactory.invalidateCaches();
            System.setErr(previous);
        }
        assertThat(exit).isEqualTo(Main.EXIT_BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad.toString()).contains("line 1");
    }

    @Test
    void jwt_needs_one_key_source_an_issuer_and_an_audience() throws Exception {
        Map<String, String> base = Map.of("CAIRN_AUTH_MODE", "jwt", "CAIRN_AUTH_JWT_ISSUER", "https://id.example",
                "CAIRN_AUTH_JWT_AUDIENCE", "cairn");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), base))
                .hasMessageContaining("cairn.auth.jwt.jwks-url").hasMessageContaining("exactly one");
        CairnConfig jwt = CairnConfig.load(Optional.empty(), with(base, "CAIRN_AUTH_JWT_JWKS_URL",
                "https://id.example/.well-known/jwks.json", "CAIRN_AUTH_JWT_ROLES_CLAIM", "cairn_roles"));
        Authentication.Jwt settings = (Authentication.Jwt) jwt.httpSecurity().authentication();
        assertThat(settings.rolesClaim()).isEqualTo("cairn_roles");
        assertThat(settings.principalClaim()).isEqualTo("sub");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), with(base, "CAIRN_AUTH_JWT_JWKS_URL", "ftp://x/y")))
                .hasMessageContaining("cairn.auth.jwt.jwks-url").hasMessageContaining("http(s)");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_AUTH_MODE", "jwt",
                "CAIRN_AUTH_JWT_JWKS_URL", "https://id.example/jwks", "CAIRN_AUTH_JWT_AUDIENCE", "cairn")))
                .hasMessageContaining("cairn.auth.jwt.issuer (CAIRN_AUTH_JWT_ISSUER)");
        Path notPem = Files.writeString(dir.resolve("key.pem"), "no key here");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), with(base, "CAIRN_AUTH_JWT_PUBLIC_KEY_FILE",
                notPem.toString()))).hasMessageContaining("cairn.auth.jwt.public-key-file").hasMessageContaining(
                        notPem.toString());
    }

    @Test
    void bad_modes_limits_and_metrics_access_are_refused_naming_the_key() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_AUTH_MODE", "basic")))
                .hasMessageContaining("cairn.auth.mode (CAIRN_AUTH_MODE)").hasMessageContaining("none, api-keys or jwt");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_METRICS_ACCESS", "admin")))
                .hasMessageContaining("cairn.http.metrics-access");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_LIMITS_FEED_SUBSCRIBERS", "0")))
                .hasMessageContaining("cairn.limits.feed-subscribers (CAIRN_LIMITS_FEED_SUBSCRIBERS)");
        CairnConfig limits = CairnConfig.load(Optional.empty(), Map.of("CAIRN_LIMITS_REQUESTS_PER_SECOND", "0",
                "CAIRN_LIMITS_EVENT_BYTES", "64KiB", "CAIRN_LIMITS_EVENTS_PER_COMMIT", "10",
                "CAIRN_HTTP_METRICS_ACCESS", "open"));
        assertThat(limits.httpSecurity().limits().requestsPerSecond()).isZero();
        assertThat(limits.httpSecurity().limits().eventBytes()).isEqualTo(64 * 1024);
        assertThat(limits.httpSecurity().limits().eventsPerCommit()).isEqualTo(10);
        assertThat(limits.httpSecurity().metricsAccess()).isEqualTo(Access.OPEN);
    }

    @Test
    void a_keystore_is_opened_at_start_up_and_a_wrong_password_is_refused_naming_the_key() throws Exception {
        Path keystore = dir.resolve("cairn.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", "cairn", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "secret-1", "-keypass", "secret-1")).redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();

        CairnConfig tls = CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_TLS_KEYSTORE", keystore.toString(),
                "CAIRN_HTTP_TLS_KEYSTORE_PASSWORD", "secret-1"));
        assertThat(tls.httpSecurity().tls()).isPresent();
        assertThat(tls.httpSecurity().tls().get().toString()).doesNotContain("secret-1");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_TLS_KEYSTORE",
                keystore.toString(), "CAIRN_HTTP_TLS_KEYSTORE_PASSWORD", "wrong")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.http.tls.keystore (CAIRN_HTTP_TLS_KEYSTORE)")
                .hasMessageContaining(keystore.toString());
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_TLS_KEYSTORE",
                dir.resolve("missing.p12").toString()))).hasMessageContaining("missing.p12");
    }

    private Path keyFile(String... lines) throws Exception {
        return Files.writeString(dir.resolve("keys"), String.join("\n", lines) + "\n");
    }

    static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> all = new java.util.HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
