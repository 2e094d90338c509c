package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Who may call the HTTP API, over what, and how much: authentication, {@code /metrics}'s access, TLS and limits.
 * Immutable; every component is required (not null).
 *
 * @param authentication how callers are identified
 * @param metricsAccess  {@link Access#OPEN} or {@link Access#READ}: what {@code GET /metrics} asks
 * @param tls            HTTPS from a keystore; empty for plain HTTP
 * @param limits         the request rate, feed subscribers and commit contents a caller may use
 */
public record HttpSecurity(Authentication authentication, Access metricsAccess, Optional<TlsConfig> tls,
                           Limits limits) {

    public HttpSecurity {
        requireNonNull(authentication, "authentication must not be null");
        requireNonNull(metricsAccess, "metricsAccess must not be null");
        requireNonNull(tls, "tls must not be null");
        requireNonNull(limits, "limits must not be null");
        if (metricsAccess != Access.OPEN && metricsAccess != Access.READ) {
            throw new IllegalArgumentException("metricsAccess must be OPEN or READ, was " + metricsAccess);
        }
    }

    /** No authentication, plain HTTP, no limits: what an embedding test wires. */
    public static HttpSecurity open() {
        return new HttpSecurity(new Authentication.None(), Access.OPEN, Optional.empty(), Limits.unlimited());
    }

    /** This security with another authentication. @throws NullPointerException for null */
    public HttpSecurity withAuthentication(Authentication newAuthentication) {
        return new HttpSecurity(newAuthentication, metricsAccess, tls, limits);
    }

    /** This security with {@code GET /metrics} needing {@code access}. @throws IllegalArgumentException unless OPEN or READ */
    public HttpSecurity withMetricsAccess(Access access) {
        return new HttpSecurity(authentication, access, tls, limits);
    }

    /** This security over HTTPS. @throws NullPointerException for null */
    public HttpSecurity withTls(TlsConfig newTls) {
        return new HttpSecurity(authentication, metricsAccess, Optional.of(newTls), limits);
    }

    /** This security with other limits. @throws NullPointerException for null */
    public HttpSecurity withLimits(Limits newLimits) {
        return new HttpSecurity(authentication, metricsAccess, tls, newLimits);
    }
}
