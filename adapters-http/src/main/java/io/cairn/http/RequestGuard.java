package io.cairn.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs before every request: finds what the route needs ({@link AccessPolicy}), authenticates the caller
 * ({@link Authenticator}, 401), checks its role (403) and takes one request from its rate (429); then the
 * {@link Principal} rides on the request for the endpoints to record in commits ({@link #principal(Context)}).
 * An open route ({@code /health}) is not authenticated; its rate goes by client address. A refused request never
 * reaches an endpoint, so it stores nothing; its body, if any, is read and thrown away (within bounds) so that the
 * client sees the answer rather than a reset connection. Thread-safe.
 */
final class RequestGuard {

    private static final String PRINCIPAL = "cairn.principal";
    private static final String CHECKED = "cairn.access-checked";
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final boolean identifiesCallers;
    private final AccessPolicy policy;
    private final RateLimiter rates;
    private final RequestBodies bodies;

    RequestGuard(Authenticator authenticator, boolean identifiesCallers, AccessPolicy policy, RateLimiter rates,
                 RequestBodies bodies) {
        this.authenticator = authenticator;
        this.identifiesCallers = identifiesCallers;
        this.policy = policy;
        this.rates = rates;
        this.bodies = bodies;
    }

    /** The before-handler. @throws ProblemException 401, 403, 429 or 503 (keys unavailable) */
    void check(Context ctx) throws Exception {
        try {
            Access access = policy.access(ctx.method(), ctx.path());
            Optional<Role> required = access.role();
            if (required.isEmpty()) {
                rates.acquire("address " + ctx.ip());
                ctx.attribute(CHECKED, access);
                return;
            }
            Principal principal = authorized(ctx, required.get());
            rates.acquire(identifiesCallers ? "principal " + principal.name() : "address " + ctx.ip());
            ctx.attribute(CHECKED, access);
        } catch (ProblemException refused) {
            discardBody(ctx);
            throw refused;
        }
    }

    /**
     * The before-matched handler, once Javalin has chosen the endpoint: checks the access of the endpoint's own
     * template as well, in case the request's path reached it in a form the rules did not recognise (encoded,
     * doubled slashes), so that no endpoint ever runs with less than its route's access.
     *
     * @throws ProblemException 401 or 403
     */
    void checkMatched(Context ctx) throws Exception {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched == null) {
            return;
        }
        Access needed = policy.access(matched.method, matched.path);
        Access checked = ctx.attribute(CHECKED);
        if (needed.role().isEmpty() || checked != null && checked.compareTo(needed) >= 0) {
            return;
        }
        try {
            authorized(ctx, needed.role().get());
            ctx.attribute(CHECKED, needed);
        } catch (ProblemException refused) {
            discardBody(ctx);
            throw refused;
        }
    }

    /** The caller, authenticated once per request, holding {@code required}. */
    private Principal authorized(Context ctx, Role required) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            principal = authenticator.authenticate(credential(ctx));
            ctx.attribute(PRINCIPAL, principal);
        }
        if (!principal.may(required)) {
            throw new ProblemException(ProblemMapper.forbidden(principal.name(), required.wire()));
        }
        return principal;
    }

    private void discardBody(Context ctx) throws java.io.IOException {
        try {
            if (!HandlerType.GET.equals(ctx.method()) && !HandlerType.HEAD.equals(ctx.method())) {
                bodies.discard(ctx);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the refusal matters, not the rest of a body the client may have stopped sending
        }
    }

    /** The caller of a request that passed {@link #check}; {@link Principal#ANONYMOUS} on an open route. */
    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        return principal == null ? Principal.ANONYMOUS : principal;
    }

    /** What follows {@code Bearer } in the Authorization header; empty without one. */
    private static Optional<String> credential(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        String credential = header.substring(BEARER.length()).trim();
        return credential.isEmpty() ? Optional.empty() : Optional.of(credential);
    }
}
