package io.cairn.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * What every POST goes through: the {@code Idempotency-Key} header (a UUID, or absent), the content type, the
 * size limit, then the endpoint, once per key (see {@link IdempotencyCache}). Failures of the endpoint become
 * problem replies here, so that they are remembered like successes.
 */
final class IdempotentPosts {

    static final String HEADER = "Idempotency-Key";
    /** Where a UUID's canonical text ({@code 8-4-4-4-12} hex digits) has its dashes. */
    private static final int[] UUID_DASHES = {8, 13, 18, 23};
    private static final int UUID_LENGTH = 36;
    /**
     * One SHA-256 per thread: {@link MessageDigest#getInstance} looks the provider up on every call, and a digest
     * is not thread-safe; {@link MessageDigest#digest(byte[])} resets it for the next request.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(IdempotentPosts::sha256);

    /** A POST endpoint: gets the body's bytes and the client's key, if it sent one. */
    @FunctionalInterface
    interface Endpoint {
        Reply handle(Context ctx, byte[] body, Optional<UUID> key) throws Exception;
    }

    private final RequestBodies bodies;
    private final IdempotencyCache cache;
    private final ProblemMapper problems;
    private final Replies replies;

    IdempotentPosts(RequestBodies bodies, IdempotencyCache cache, ProblemMapper problems, Replies replies) {
        this.bodies = bodies;
        this.cache = cache;
        this.problems = problems;
        this.replies = replies;
    }

    Handler handler(Endpoint endpoint) {
        return ctx -> {
            Optional<UUID> key = key(ctx);
            bodies.requireJson(ctx);
            byte[] body = bodies.read(ctx);
            Reply reply = key.isEmpty()
                    ? run(endpoint, ctx, body, key)
                    : cache.execute(key.get(), fingerprint(ctx, body), () -> run(endpoint, ctx, body, key));
            reply.writeTo(ctx);
        };
    }

    private Reply run(Endpoint endpoint, Context ctx, byte[] body, Optional<UUID> key) {
        try {
            return endpoint.handle(ctx, body, key);
        } catch (Exception e) {
            return replies.problem(problems.map(e), ctx);
        }
    }

    /** The client's key; absent when it sent none. */
    static Optional<UUID> key(Context ctx) {
        String value = ctx.header(HEADER);
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (!isUuidText(trimmed)) {
            throw new ProblemException(ProblemMapper.invalid(HEADER, HEADER + " must be a UUID, was '"
                    + (trimmed.length() > 60 ? trimmed.substring(0, 57) + "..." : trimmed) + "'"));
        }
        return Optional.of(UUID.fromString(trimmed));
    }

    /**
     * Whether {@code text} is a UUID in its canonical form: 36 characters, hex digits of either case in groups of
     * 8-4-4-4-12 separated by dashes (what {@link UUID#toString()} writes, upper case allowed). Checked by hand rather
     * than with a regular expression: it runs on every keyed POST.
     */
    static boolean isUuidText(String text) {
        if (text.length() != UUID_LENGTH) {
            return false;
        }
        int dash = 0;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = text.charAt(i);
            if (dash < UUID_DASHES.length && i == UUID_DASHES[dash]) {
                if (c != '-') {
                    return false;
                }
                dash++;
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** The request as a key's first use made it: who sent it too, so another caller's reuse is refused (422). */
    private static String fingerprint(Context ctx, byte[] body) {
        byte[] digest = SHA_256.get().digest(body);
        return ctx.method().name() + ' ' + ctx.path() + ' ' + Base64.getEncoder().encodeToString(digest)
                + ' ' + RequestGuard.principal(ctx).name();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
