package io.cairn.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Remembers, in process, the answers to POSTs sent with an {@code Idempotency-Key}, so that a repeat gets the
 * original answer byte for byte and runs nothing: rejections and validation errors included, which the event store
 * does not record. Bounded in size and age (least recently used and oldest go first).
 *
 * <p>An entry holds a fingerprint of the request (method, path, SHA-256 of the body). The same key with another
 * fingerprint is refused ({@code idempotency-key-reused}, 422) rather than answered with someone else's answer.
 * While the first request with a key runs, the key is marked in flight: a concurrent repeat is refused
 * ({@code request-in-progress}, 409, {@code Retry-After: 1}) instead of running the command a second time at once;
 * in-flight markers live outside the bounded cache, so no eviction can let a second run start.
 * Retryable answers (store unavailable, contention, internal errors) are not remembered: the key is released and a
 * retry runs again. Thread-safe.
 */
final class IdempotencyCache {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private record Done(String fingerprint, Reply reply) {
    }

    /** Keys whose first request runs now, with its fingerprint; never evicted, so never run twice at once. */
    private final ConcurrentMap<UUID, String> inFlight = new ConcurrentHashMap<>();
    private final Cache<UUID, Done> done;

    IdempotencyCache(long maximumSize, Duration ttl) {
        // maintenance (eviction, expiry) on the calling thread, amortised: the default hands it to the common
        // ForkJoinPool, which on a busy server costs a thread wake-up per few requests
        this.done = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).executor(Runnable::run)
                .build();
    }

    /**
     * Runs {@code request} unless {@code key} was seen: then answers what it answered the first time.
     *
     * @param fingerprint what makes two requests the same
     * @param request     runs the request; maps its failures into a reply rather than throwing
     * @throws ProblemException {@code idempotency-key-reused} or {@code request-in-progress}
     */
    Reply execute(UUID key, String fingerprint, Supplier<Reply> request) {
        Done earlier = done.getIfPresent(key);
        if (earlier != null) {
            return replay(key, fingerprint, earlier);
        }
        String running = inFlight.putIfAbsent(key, fingerprint);
        if (running != null) {
            throw new ProblemException(running.equals(fingerprint)
                    ? ProblemMapper.requestInProgress(key)
                    : ProblemMapper.idempotencyKeyReused(key));
        }
        try {
            // the first request may have finished between the look-up above and the marker
            earlier = done.getIfPresent(key);
            if (earlier != null) {
                return replay(key, fingerprint, earlier);
            }
            Reply reply = request.get();
            if (!reply.retryable()) {
                done.put(key, new Done(fingerprint, reply)); // before the marker goes: no gap between the two
            }
            return reply;
        } finally {
            inFlight.remove(key);
        }
    }

    private static Reply replay(UUID key, String fingerprint, Done earlier) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw new ProblemException(ProblemMapper.idempotencyKeyReused(key));
        }
        return earlier.reply().withHeader(REPLAYED_HEADER, "true");
    }
}
