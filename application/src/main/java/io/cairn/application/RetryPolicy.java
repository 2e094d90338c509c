package io.cairn.application;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a command is decided again after losing a race, and how long it waits in between.
 *
 * <p>The first conflict is usually a stale view, not contention: the handler catches up and tries again at once.
 * Further conflicts mean other writers are busy on the stream, so the handler backs off with "full jitter": before
 * attempt {@code n >= 3}, a uniformly random wait between 0 and {@code min(maxDelay, baseDelay * 2^(n-3))}, which
 * spreads competing writers apart instead of having them collide again in lockstep.
 *
 * @param maxAttempts appends tried before giving up with a conflict, {@code >= 1}
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(2), Duration.ofMillis(100));

    public RetryPolicy {
        requireNonNull(baseDelay, "baseDelay must not be null");
        requireNonNull(maxDelay, "maxDelay must not be null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** The wait before attempt {@code attempt} (2 = the first retry), in nanoseconds. */
    long delayNanosBefore(int attempt) {
        if (attempt <= 2) {
            return 0;
        }
        long ceiling = baseDelay.toNanos() << Math.min(attempt - 3, 20);
        ceiling = Math.min(Math.max(ceiling, 0), maxDelay.toNanos());
        return ceiling == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
