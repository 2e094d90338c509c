package io.cairn.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
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

    private static final String BEGIN_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----";
    private static final String END_PUBLIC_KEY = "-----END PUBLIC KEY-----";

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final Authentication.Jwt settings;

    private JwtAuthenticator(Authentication.Jwt settings, JWSKeySelector<SecurityContext> keys) {
        this.settings = settings;
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(keys);
        // identity providers type their access tokens "at+jwt" (RFC 9068); nimbus accepts only "JWT" by default
        jwt.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
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

    /**
     * The JWKS URL's keys, chosen by the token's key id; or the one configured key, whatever key id the token names
     * (an issuer with one key need not agree on ids with a PEM file).
     */
    private static JWSKeySelector<SecurityContext> keySource(Authentication.Jwt settings) {
        if (settings.publicKeyFile().isPresent()) {
            Key key;
            try {
                JWK jwk = publicKey(settings.publicKeyFile().get());
                key = jwk instanceof RSAKey rsa ? rsa.toPublicKey() : ((ECKey) jwk).toPublicKey();
            } catch (JOSEException e) {
                throw new IllegalArgumentException("the public key file " + settings.publicKeyFile().get()
                        + " cannot be used: " + e.getMessage(), e);
            }
            List<Key> only = List.of(key);
            return (header, context) -> ALGORITHMS.contains(header.getAlgorithm()) ? only : List.of();
        }
        try {
            JWKSource<SecurityContext> remote = JWKSourceBuilder.<SecurityContext>create(
                    settings.jwksUrl().get().toURL()).retrying(true).build();
            return new JWSVerificationKeySelector<>(ALGORITHMS, remote);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL " + settings.jwksUrl().get() + " is not a URL: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The public key in a PEM file: {@code -----BEGIN PUBLIC KEY-----} (RSA or EC, X.509 SubjectPublicKeyInfo) or
     * {@code -----BEGIN CERTIFICATE-----}; read with the JDK alone (nimbus would need BouncyCastle for PEM).
     */
    private static JWK publicKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("the public key file " + file + " cannot be read: " + e, e);
        }
        try {
            PublicKey key;
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                key = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            } else {
                int begin = pem.indexOf(BEGIN_PUBLIC_KEY);
                int end = pem.indexOf(END_PUBLIC_KEY);
                if (begin < 0 || end < begin) {
                    throw new IllegalArgumentException("no " + BEGIN_PUBLIC_KEY + " ... " + END_PUBLIC_KEY + " block");
                }
                byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_PUBLIC_KEY.length(), end));
                key = decode(der);
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
            throw new IllegalArgumentException("the key is " + key.getAlgorithm() + ", neither RSA nor EC");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the public key file " + file + " holds no PEM public key (RSA or EC, "
                    + BEGIN_PUBLIC_KEY + " or a certificate): " + e.getMessage(), e);
        }
    }

    private static PublicKey decode(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    @Override
    public Principal authenticate(Optional<String> credential) {
        if (credential.isEmpty()) {
            throw new ProblemException(ProblemMapper.unauthenticated());
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(credential.get(), null);
        } catch (ParseException e) {
            throw new ProblemException(ProblemMapper.invalidCredential("not a JWT"));
        } catch (KeySourceException e) {
            LOG.log(Level.WARNING, "the JWT signing keys cannot be had from " + settings.jwksUrl().orElse(null)
                    + ": " + e.getMessage());
            throw new ProblemException(ProblemMapper.authenticationUnavailable());
        } catch (BadJOSEException | JOSEException e) {
            throw new ProblemException(ProblemMapper.invalidCredential(
                    e.getMessage() == null ? "refused" : e.getMessage()));
        }
        Object name = claims.getClaim(settings.principalClaim());
        if (!(name instanceof String text) || text.isBlank()) {
            throw new ProblemException(ProblemMapper.invalidCredential("the claim " + settings.principalClaim()
                    + " must name the caller"));
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
