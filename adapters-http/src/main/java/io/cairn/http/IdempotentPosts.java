package io.cairn.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every POST goes through: the {@code Idempotency-Key} header (a UUID, or absent), the content type, the
 * size limit, then the endpoint, once per key (see {@link IdempotencyCache}). Failures of the endpoint become
 * problem replies here, so that they are remembered like successes.
 */
final class IdempotentPosts {

    static final String HEADER = "Idempotency-Key";
    static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
        if (!UUID_TEXT.matcher(trimmed).matches()) {
            throw new ProblemException(ProblemMapper.invalid(HEADER, HEADER + " must be a UUID, was '"
                    + (trimmed.length() > 60 ? trimmed.substring(0, 57) + "..." : trimmed) + "'"));
        }
        return Optional.of(UUID.fromString(trimmed));
    }

    /** The request as a key's first use made it: who sent it too, so another caller's reuse is refused (422). */
    private static String fingerprint(Context ctx, byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return ctx.method().name() + ' ' + ctx.path() + ' ' + Base64.getEncoder().encodeToString(digest)
                    + ' ' + RequestGuard.principal(ctx).name();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
