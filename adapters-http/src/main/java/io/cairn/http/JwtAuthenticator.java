package io.cairn.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer JWTs ({@link Authentication.Jwt}) checked with nimbus-jose-jwt: the signature against the JWKS URL's keys
 * or the configured public key (asymmetric algorithms only, so a public key can never be used as an HMAC secret),
 * then {@code iss}, {@code aud}, {@code exp} and {@code nbf}. Thread-safe.
 */
final class JwtAuthenticator implements Authenticator {

    private static final System.Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final Authentication.Jwt settings;

    private JwtAuthenticator(Authentication.Jwt settings, JWKSource<SecurityContext> keys) {
        this.settings = settings;
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(settings.audience()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("exp", settings.principalClaim()), null));
        this.processor = jwt;
    }

    /**
     * @throws IllegalArgumentException when the public key file cannot be read or holds no public key, or the
     *                                  JWKS URL is not a URL
     */
    static JwtAuthenticator of(Authentication.Jwt settings) {
        return new JwtAuthenticator(settings, keySource(settings));
    }

    /** Checks that {@code settings} can be used, reading the public key file if one is named. */
    static void check(Authentication.Jwt settings) {
        keySource(settings);
    }

    private static JWKSource<SecurityContext> keySource(Authentication.Jwt settings) {
        if (settings.publicKeyFile().isPresent()) {
            return new ImmutableJWKSet<>(new JWKSet(publicKey(settings.publicKeyFile().get())));
        }
        try {
            return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().get().toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL " + settings.jwksUrl().get() + " is not a URL: "
                    + e.getMessage(), e);
        }
    }

    private static JWK publicKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("the public key file " + file + " cannot be read: " + e, e);
        }
        try {
            JWK key = JWK.parseFromPEMEncodedObjects(pem);
            if (key.isPrivate()) {
                key = key.toPublicJWK();
            }
            return key;
        } catch (JOSEException | RuntimeException e) {
            throw new IllegalArgumentException("the public key file " + file + " holds no PEM public key (RSA or EC, "
                    + "-----BEGIN PUBLIC KEY----- or a certificate): " + e.getMessage(), e);
        }
    }

    @Override
    public Principal authenticate(Optional<String> credential) {
        if (credential.isEmpty()) {
            throw Unauthorized.missing();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(credential.get(), null);
        } catch (ParseException e) {
            throw Unauthorized.invalid("not a JWT");
        } catch (KeySourceException e) {
            LOG.log(Level.WARNING, "the JWT signing keys cannot be had from " + settings.jwksUrl().orElse(null)
                    + ": " + e.getMessage());
            throw new ProblemException(Problem.of(503, "authentication-unavailable", "Authentication unavailable",
                            "the keys that sign tokens cannot be fetched just now; retry later")
                    .withHeader("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS)
                    .asRetryable());
        } catch (BadJOSEException | JOSEException e) {
            throw Unauthorized.invalid(e.getMessage() == null ? "refused" : e.getMessage());
        }
        Object name = claims.getClaim(settings.principalClaim());
        if (!(name instanceof String text) || text.isBlank()) {
            throw Unauthorized.invalid("the claim " + settings.principalClaim() + " must name the caller");
        }
        return new Principal(text, roles(claims.getClaim(settings.rolesClaim())));
    }

    /** An array of names, or one string of names separated by spaces or commas; unknown names are ignored. */
    private static Set<Role> roles(Object claim) {
        Collection<?> names;
        if (claim instanceof Collection<?> list) {
            names = list;
        } else if (claim instanceof String text) {
            names = Set.of(text.trim().split("[\\s,]+"));
        } else {
            names = Set.of();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> seen = new HashSet<>();
        for (Object name : names) {
            if (name instanceof String text && seen.add(text)) {
                try {
                    roles.add(Role.of(text));
                } catch (IllegalArgumentException ignored) {
                    // a token may carry roles of other services
                }
            }
        }
        return roles;
    }
}
