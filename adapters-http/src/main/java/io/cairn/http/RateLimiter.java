package io.cairn.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * The request rate per caller: one Bucket4j token bucket per key (a principal's name, or a client address), of
 * {@link Limits#requestBurst()} tokens refilled greedily at {@link Limits#requestsPerSecond()}. Buckets of callers
 * idle for a minute are forgotten (they would be full again by then anyway), and at most {@value #MAX_CALLERS} are
 * kept. Thread-safe.
 */
final class RateLimiter {

    static final int MAX_CALLERS = 100_000;

    private final Limits limits;
    private final Cache<String, Bucket> buckets;

    RateLimiter(Limits limits) {
        this.limits = limits;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CALLERS)
                .expireAfterAccess(Duration.ofMinutes(1))
                .executor(Runnable::run) // maintenance on the calling thread: no wake-up of another per request
                .build();
    }

    /**
     * Takes one request from {@code caller}'s bucket.
     *
     * @throws ProblemException 429 {@code too-many-requests} with {@code Retry-After} (whole seconds, at least 1)
     *                          when the bucket is empty
     */
    void acquire(String caller) {
        if (limits.requestsPerSecond() == 0) {
            return;
        }
        Bucket bucket = buckets.get(caller, ignored -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limits.requestBurst())
                        .refillGreedy(limits.requestsPerSecond(), Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new ProblemException(ProblemMapper.tooManyRequests(limits.requestsPerSecond(), limits.requestBurst(),
                    seconds));
        }
    }
}
