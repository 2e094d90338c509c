package io.cairn.http;

import java.util.Optional;

/**
 * Establishes the {@link Principal} of a request from its bearer credential. Implementations are thread-safe.
 */
interface Authenticator {

    /**
     * @param credential what followed {@code Authorization: Bearer}, trimmed; empty when the request had none (or
     *                   another scheme)
     * @return the caller, never null
     * @throws ProblemException 401 {@code unauthorized} (with {@code WWW-Authenticate}) without a credential or for
     *                          one that is not accepted; 503 when the keys to check it cannot be had just now
     */
    Principal authenticate(Optional<String> credential);

    /** The one for {@code authentication}; reads a key file or a public key file now. */
    static Authenticator of(Authentication authentication) {
        if (authentication instanceof Authentication.ApiKeys keys) {
            return new ApiKeyAuthenticator(keys);
        }
        if (authentication instanceof Authentication.Jwt jwt) {
            return JwtAuthenticator.of(jwt);
        }
        return credential -> Principal.ANONYMOUS;
    }
}
