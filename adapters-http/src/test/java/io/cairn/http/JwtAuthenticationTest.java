package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.cairn.http.TestCairn.Response;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn.auth.mode = jwt}, over real sockets: tokens signed by a key the test makes, checked against a JWKS
 * URL the test serves on loopback, or against the public key in a PEM file.
 */
class JwtAuthenticationTest {

    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "cairn";
    private static final String OPEN = "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}";

    @TempDir
    static Path dir;
    static RSAKey signing;
    static HttpServer jwks;
    static TestCairn cairn;

    @BeforeAll
    static void start() throws Exception {
        signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] keys = new JWKSet(signing.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwks.start();
        URI url = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
        cairn = TestCairn.start(HttpSecurity.open().withAuthentication(new Authentication.Jwt(Optional.of(url),
                Optional.empty(), ISSUER, AUDIENCE, "roles", "sub")));
    }

    @AfterAll
    static void stop() {
        cairn.close();
        jwks.stop(0);
    }

    @Test
    void a_valid_token_with_the_write_role_sends_a_command_recorded_under_its_subject() throws JOSEException {
        String id = TestCairn.newAccountId();
        String token = token(signing, "alice", List.of("write"), ISSUER, AUDIENCE, Instant.now().plusSeconds(300));
        assertThat(cairn.postAs(token, "/accounts/" + id + "/open", OPEN).status()).isEqualTo(200);
        assertThat(cairn.get("/streams/account-" + id, token).json().path("commits").get(0)
                .path("metadata").path("principal").asText()).isEqualTo("alice");
    }

    @Test
    void roles_may_come_as_one_string_and_unknown_ones_are_ignored() throws JOSEException {
        String token = tokenWithClaim("roles", "read other:role");
        assertThat(cairn.get("/all", token).status()).isEqualTo(200);
        assertProblem(cairn.postAs(token, "/accounts/" + TestCairn.newAccountId() + "/open", OPEN), 403, "forbidden");
    }

    @Test
    void an_access_token_typed_at_jwt_is_accepted() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
                new JWTClaimsSet.Builder().subject("gina").issuer(ISSUER).audience(List.of("other", AUDIENCE))
                        .expirationTime(Date.from(Instant.now().plusSeconds(60))).claim("roles", List.of("read"))
                        .build());
        jwt.sign(new RSASSASigner(signing));
        assertThat(cairn.get("/all", jwt.serialize()).status()).isEqualTo(200);
    }

    @Test
    void a_token_without_roles_is_authenticated_but_forbidden() throws JOSEException {
        String token = token(signing, "bob", List.of(), ISSUER, AUDIENCE, Instant.now().plusSeconds(300));
        assertProblem(cairn.get("/all", token), 403, "forbidden");
    }

    @Test
    void a_token_for_another_issuer_or_audience_expired_or_signed_by_another_key_is_401() throws JOSEException {
        Instant later = Instant.now().plusSeconds(300);
        RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
        List<String> refused = List.of(
                token(signing, "eve", List.of("read"), "https://other.test", AUDIENCE, later),
                token(signing, "eve", List.of("read"), ISSUER, "another-service", later),
                token(signing, "eve", List.of("read"), ISSUER, AUDIENCE, Instant.now().minusSeconds(600)),
                token(other, "eve", List.of("read"), ISSUER, AUDIENCE, later),
                "not.a.jwt",
                "garbage");
        for (String token : refused) {
            Response response = cairn.get("/all", token);
            assertProblem(response, 401, "unauthorized");
            assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
    }

    @Test
    void a_refused_token_stores_nothing() throws JOSEException {
        long before = cairn.storedCommits();
        String expired = token(signing, "eve", List.of("write"), ISSUER, AUDIENCE, Instant.now().minusSeconds(600));
        assertProblem(cairn.postAs(expired, "/accounts/" + TestCairn.newAccountId() + "/open", OPEN), 401,
                "unauthorized");
        String reader = token(signing, "eve", List.of("read"), ISSUER, AUDIENCE, Instant.now().plusSeconds(60));
        assertProblem(cairn.postAs(reader, "/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{}}]}"), 403, "forbidden");
        assertThat(cairn.storedCommits()).isEqualTo(before);
    }

    @Test
    void tokens_are_checked_against_a_configured_public_key_too() throws Exception {
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(signing.toPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (TestCairn own = TestCairn.start(HttpSecurity.open().withAuthentication(new Authentication.Jwt(
                Optional.empty(), Optional.of(pem), ISSUER, AUDIENCE, "groups", "sub")))) {
            String token = token(signing, "carol", "groups", List.of("read"), ISSUER, AUDIENCE,
                    Instant.now().plusSeconds(60));
            assertThat(own.get("/all", token).status()).isEqualTo(200);
        }
        Path notAKey = dir.resolve("not-a-key.pem");
        Files.writeString(notAKey, "hello");
        assertThatThrownBy(() -> JwtAuthenticator.check(new Authentication.Jwt(Optional.empty(), Optional.of(notAKey),
                ISSUER, AUDIENCE, "roles", "sub"))).hasMessageContaining(notAKey.toString());
    }

    @Test
    void keys_that_cannot_be_fetched_are_503_not_401() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed + "/jwks.json");
        try (TestCairn own = TestCairn.start(HttpSecurity.open().withAuthentication(new Authentication.Jwt(
                Optional.of(nowhere), Optional.empty(), ISSUER, AUDIENCE, "roles", "sub")))) {
            String token = token(signing, "dave", List.of("read"), ISSUER, AUDIENCE, Instant.now().plusSeconds(60));
            Response response = own.get("/all", token);
            assertProblem(response, 503, "authentication-unavailable");
            assertThat(response.header("Retry-After")).isNotBlank();
        }
    }

    private static String tokenWithClaim(String claim, Object value) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("frank").issuer(ISSUER).audience(AUDIENCE)
                        .expirationTime(Date.from(Instant.now().plusSeconds(60))).claim(claim, value).build());
        jwt.sign(new RSASSASigner(signing));
        return jwt.serialize();
    }

    static String token(RSAKey key, String subject, List<String> roles, String issuer, String audience,
                        Instant expires) throws JOSEException {
        return token(key, subject, "roles", roles, issuer, audience, expires);
    }

    static String token(RSAKey key, String subject, String rolesClaim, List<String> roles, String issuer,
                        String audience, Instant expires) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                        .expirationTime(Date.from(expires)).claim(rolesClaim, roles).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

}
