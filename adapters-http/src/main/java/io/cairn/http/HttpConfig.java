package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the HTTP API listens and what it accepts.
 *
 * @param port                 the TCP port; 0 binds any free port ({@link HttpApi#port()} tells which)
 * @param host                 the interface to bind, e.g. {@code 0.0.0.0} (all) or {@code 127.0.0.1}
 * @param maxRequestBytes      the largest request body accepted; larger ones get 413 before being read to the end
 * @param idempotencyCacheSize how many answers to keyed POSTs are remembered in process (see {@link HttpApi})
 * @param idempotencyTtl       how long such an answer is remembered
 * @param healthCheckTimeout   how long {@code GET /health} waits for one check before reporting it DOWN
 */
public record HttpConfig(int port, String host, long maxRequestBytes, long idempotencyCacheSize,
                         Duration idempotencyTtl, Duration healthCheckTimeout) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final long DEFAULT_IDEMPOTENCY_CACHE_SIZE = 100_000;
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(2);

    public HttpConfig {
        requireNonNull(host, "host must not be null");
        requireNonNull(idempotencyTtl, "idempotencyTtl must not be null");
        requireNonNull(healthCheckTimeout, "healthCheckTimeout must not be null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be >= 1, was " + maxRequestBytes);
        }
        if (idempotencyCacheSize < 1) {
            throw new IllegalArgumentException("idempotencyCacheSize must be >= 1, was " + idempotencyCacheSize);
        }
        if (idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
            throw new IllegalArgumentException("idempotencyTtl must be positive, was " + idempotencyTtl);
        }
        if (healthCheckTimeout.isNegative() || healthCheckTimeout.isZero()) {
            throw new IllegalArgumentException("healthCheckTimeout must be positive, was " + healthCheckTimeout);
        }
    }

    /** Port 8080 on all interfaces, 1 MiB bodies, 100k idempotent answers kept for 24 hours, 2 s health checks. */
    public static HttpConfig defaults() {
        return onPort(DEFAULT_PORT);
    }

    /** The defaults, on {@code port} (0: any free port). */
    public static HttpConfig onPort(int port) {
        return new HttpConfig(port, DEFAULT_HOST, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_IDEMPOTENCY_CACHE_SIZE,
                DEFAULT_IDEMPOTENCY_TTL, DEFAULT_HEALTH_CHECK_TIMEOUT);
    }

    public HttpConfig withHost(String newHost) {
        return new HttpConfig(port, newHost, maxRequestBytes, idempotencyCacheSize, idempotencyTtl, healthCheckTimeout);
    }

    public HttpConfig withMaxRequestBytes(long bytes) {
        return new HttpConfig(port, host, bytes, idempotencyCacheSize, idempotencyTtl, healthCheckTimeout);
    }

    public HttpConfig withIdempotencyCache(long size, Duration ttl) {
        return new HttpConfig(port, host, maxRequestBytes, size, ttl, healthCheckTimeout);
    }

    public HttpConfig withHealthCheckTimeout(Duration timeout) {
        return new HttpConfig(port, host, maxRequestBytes, idempotencyCacheSize, idempotencyTtl, timeout);
    }
}
