package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the HTTP API establishes who calls it ({@code cairn.auth.mode}). Every mode but {@link None} takes
 * {@code Authorization: Bearer <credential>} and answers 401 without one that it accepts.
 */
public sealed interface Authentication permits Authentication.None, Authentication.ApiKeys, Authentication.Jwt {

    /** Whether callers are identified (rate limits then go per principal, else per address). */
    default boolean identifiesCallers() {
        return true;
    }

    /** No authentication: every caller is {@link Principal#ANONYMOUS}, which may do everything. */
    record None() implements Authentication {
        @Override
        public boolean identifiesCallers() {
            return false;
        }
    }

    /**
     * API keys from a file of lines {@code <name> <role>[,<role>...] <sha-256 hex of the key>} (see {@link ApiKeys}),
     * re-read when its content changes.
     *
     * @param file          the key file, not null
     * @param recheckEvery  how often, at most, a request looks whether the file changed; zero: at every request
     */
    record ApiKeys(Path file, Duration recheckEvery) implements Authentication {
        /** How often the key file is looked at by default. */
        public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

        public ApiKeys {
            requireNonNull(file, "file must not be null");
            requireNonNull(recheckEvery, "recheckEvery must not be null");
            if (recheckEvery.isNegative()) {
                throw new IllegalArgumentException("recheckEvery must not be negative, was " + recheckEvery);
            }
        }

        public ApiKeys(Path file) {
            this(file, DEFAULT_RECHECK);
        }
    }

    /**
     * Bearer JWTs signed with RSA or EC keys (RS256/384/512, PS256/384/512, ES256/384/512), verified against the
     * keys of a JWKS URL or one configured public key; the issuer ({@code iss}) and audience ({@code aud}) must
     * match, {@code exp} is required and checked (60 s of clock skew).
     *
     * @param jwksUrl        where the signing keys are published (fetched when first needed, cached, refreshed
     *                       for an unknown key id); exactly one of it and {@code publicKeyFile}
     * @param publicKeyFile  a PEM file with the public key (or an X.509 certificate) that signs the tokens
     * @param issuer         the required {@code iss}
     * @param audience       the required {@code aud} (one of the token's audiences)
     * @param rolesClaim     the claim holding the roles: an array of strings or one string of names separated by
     *                       spaces or commas; names other than {@code read}, {@code write}, {@code admin} are ignored
     * @param principalClaim the claim naming the caller, recorded in the commits ({@code sub} usually)
     */
    record Jwt(Optional<URI> jwksUrl, Optional<Path> publicKeyFile, String issuer, String audience,
               String rolesClaim, String principalClaim) implements Authentication {
        public Jwt {
            requireNonNull(jwksUrl, "jwksUrl must not be null");
            requireNonNull(publicKeyFile, "publicKeyFile must not be null");
            requireNonNull(issuer, "issuer must not be null");
            requireNonNull(audience, "audience must not be null");
            requireNonNull(rolesClaim, "rolesClaim must not be null");
            requireNonNull(principalClaim, "principalClaim must not be null");
            if (jwksUrl.isPresent() == publicKeyFile.isPresent()) {
                throw new IllegalArgumentException("give exactly one of a JWKS URL and a public key file");
            }
            if (issuer.isBlank() || audience.isBlank()) {
                throw new IllegalArgumentException("the issuer and the audience must be set");
            }
            if (rolesClaim.isBlank() || principalClaim.isBlank()) {
                throw new IllegalArgumentException("the roles and principal claims must be named");
            }
        }

        /**
         * Checks that the keys can be had as configured: the public key file is read and must hold an RSA or EC
         * public key (PEM), the JWKS URL must be an {@code http} or {@code https} URL (it is fetched only when a
         * token first needs it).
         *
         * @throws IllegalArgumentException saying what is wrong, naming the file
         */
        public void check() {
            if (jwksUrl.isPresent()) {
                String scheme = jwksUrl.get().getScheme();
                if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                        || jwksUrl.get().getHost() == null) {
                    throw new IllegalArgumentException("the JWKS URL must be an http(s) URL, was " + jwksUrl.get());
                }
            }
            JwtAuthenticator.check(this);
        }
    }
}
