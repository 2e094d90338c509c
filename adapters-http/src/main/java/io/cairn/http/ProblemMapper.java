package io.cairn.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cairn.application.port.CommitTooLargeException;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.MalformedJsonException;
import io.cairn.domain.UnreadableEventException;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.json.JsonFailures;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The one place where failures become RFC 9457 problem details. Every exception a request can raise, and every
 * business rejection, is mapped here; what is not recognised is logged with an error id and answered 500 with a
 * generic detail, so no stack trace or internal message ever reaches a client.
 *
 * <p>Problem types are {@code urn:cairn:problem:<slug>}: {@code invalid-input}, {@code malformed-json} and
 * {@code revision-beyond-stream} (400),
 * {@code unauthorized} (401, with {@code WWW-Authenticate}), {@code forbidden} (403),
 * {@code <category>-not-found} (e.g. {@code account-not-found}), {@code stream-not-found}, {@code not-found} (404), {@code method-not-allowed} (405),
 * {@code revision-conflict}, {@code concurrency-conflict}, {@code request-in-progress} (409),
 * {@code request-too-large}, {@code commit-too-large}, {@code too-many-events}, {@code event-too-large} (413),
 * {@code unsupported-media-type} (415), the business
 * rejection's reason with dashes, e.g. {@code insufficient-funds}, and {@code idempotency-key-reused} (422),
 * {@code too-many-requests} (429), {@code internal-error}, {@code unreadable-event} (500), {@code no-global-order}, {@code no-live-feed} (501),
 * {@code store-unavailable}, {@code too-many-subscribers}, {@code authentication-unavailable} (503).
 */
final class ProblemMapper {

    private static final System.Logger LOG = System.getLogger(ProblemMapper.class.getName());

    static final String RETRY_AFTER_SECONDS = "1";

    /** Maps any failure of a request; never throws. */
    Problem map(Throwable failure) {
        if (failure instanceof ProblemException e) {
            return e.problem();
        }
        if (failure instanceof MalformedJsonException e) {
            return Problem.of(400, "malformed-json", "Malformed JSON", e.getMessage()).with("field", e.field());
        }
        if (failure instanceof UnreadableEventException e) {
            // the store's data, not the request, is at fault: a 500 that names the event, never a client error
            LOG.log(Level.ERROR, e.getMessage());
            return Problem.of(500, "unreadable-event", "Unreadable stored event", e.getMessage())
                    .with("stream", e.stream().value())
                    .with("revision", e.revision())
                    .with("eventType", e.type())
                    .with("version", e.version());
        }
        if (failure instanceof InvalidInputException e) {
            return invalid(e.field(), e.getMessage());
        }
        if (failure instanceof WrongExpectedRevision e) {
            return revisionConflict(e);
        }
        if (failure instanceof CommandContentionException e) {
            Problem problem = Problem.of(409, "concurrency-conflict", "Concurrency conflict", e.getMessage())
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .asRetryable();
            OptionalLong actual = e.conflict().actual();
            return actual.isPresent() ? problem.with("actualRevision", actual.getAsLong()) : problem;
        }
        if (failure instanceof CommitTooLargeException e) {
            return Problem.of(413, "commit-too-large", "Commit too large",
                            "the commit is " + e.size() + " bytes; the store takes at most " + e.limit())
                    .with("size", e.size())
                    .with("limit", e.limit());
        }
        if (failure instanceof StoreUnavailableException) {
            LOG.log(Level.WARNING, "store unavailable: " + failure.getMessage());
            return Problem.of(503, "store-unavailable", "Store unavailable",
                            "the event store cannot be reached; retry later with the same Idempotency-Key")
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .asRetryable();
        }
        if (failure instanceof JsonProcessingException e) {
            return map(JsonFailures.translate(e));
        }
        if (failure instanceof HttpResponseException e) {
            return http(e);
        }
        return unexpected(failure);
    }

    static Problem invalid(String field, String detail) {
        Problem problem = Problem.of(400, "invalid-input", "Invalid input", detail);
        return field == null ? problem : problem.with("field", field);
    }

    static Problem streamNotFound(String stream) {
        return Problem.of(404, "stream-not-found", "Stream not found", "stream '" + stream + "' has no commit")
                .with("stream", stream);
    }

    static Problem noGlobalOrder() {
        return Problem.of(501, "no-global-order", "No global order",
                "this store keeps order per stream only (DynamoDB), so there is no GET /all: read each stream "
                        + "with GET /streams/{stream}");
    }

    static Problem noLiveFeed() {
        return Problem.of(501, "no-live-feed", "No live feed",
                "this server runs without a live feed, so there is no GET /feed: poll GET /all or "
                        + "GET /streams/{stream}");
    }

    static Problem requestTooLarge(long limit) {
        return Problem.of(413, "request-too-large", "Request too large",
                "the request body is larger than " + limit + " bytes").with("limit", limit);
    }

    static Problem unsupportedMediaType(String contentType) {
        return Problem.of(415, "unsupported-media-type", "Unsupported media type",
                "the body must be application/json, was " + contentType).with("contentType", contentType);
    }

    /** The header of a 401's challenge (RFC 6750). */
    static final String CHALLENGE = "WWW-Authenticate";
    private static final String REALM = "Bearer realm=\"cairn\"";

    /** No bearer credential at all: 401 with a bare challenge. */
    static Problem unauthenticated() {
        return Problem.of(401, "unauthorized", "Unauthorized",
                        "this route needs authentication: send Authorization: Bearer <key or token>")
                .withHeader(CHALLENGE, REALM);
    }

    /** A bearer credential that is not accepted: 401 saying why, as {@code error="invalid_token"}. */
    static Problem invalidCredential(String why) {
        String quoted = why.replace('"', '\'').replace('\\', '/');
        return Problem.of(401, "unauthorized", "Unauthorized", "the bearer credential is not accepted: " + why)
                .withHeader(CHALLENGE, REALM + ", error=\"invalid_token\", error_description=\"" + quoted + "\"");
    }

    /** An authenticated caller without the role the route needs: 403. */
    static Problem forbidden(String principal, String requiredRole) {
        return Problem.of(403, "forbidden", "Forbidden", "'" + principal + "' does not hold the role " + requiredRole
                        + " (or a higher one) that this route needs")
                .with("principal", principal)
                .with("requiredRole", requiredRole);
    }

    /** The keys that sign tokens cannot be fetched: 503, retryable. */
    static Problem authenticationUnavailable() {
        return Problem.of(503, "authentication-unavailable", "Authentication unavailable",
                        "the keys that sign tokens cannot be fetched just now; retry later")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                .asRetryable();
    }

    /** Over the caller's request rate: 429 with {@code Retry-After} in whole seconds. */
    static Problem tooManyRequests(long perSecond, long burst, long retryAfterSeconds) {
        return Problem.of(429, "too-many-requests", "Too many requests", "more than " + perSecond
                        + " requests per second (bursts of " + burst + "); retry after " + retryAfterSeconds + " s")
                .with("requestsPerSecond", perSecond)
                .with("requestBurst", burst)
                .withHeader("Retry-After", Long.toString(retryAfterSeconds))
                .asRetryable();
    }

    /** The live feed serves as many streams as it may: 503 with {@code Retry-After}. */
    static Problem tooManySubscribers(int limit, String retryAfterSeconds) {
        return Problem.of(503, "too-many-subscribers", "Too many subscribers",
                        "the live feed already serves " + limit + " streams, its most; retry later")
                .with("limit", limit)
                .withHeader("Retry-After", retryAfterSeconds)
                .asRetryable();
    }

    /** A raw append of more events than one commit may hold: 413. */
    static Problem tooManyEvents(int count, int limit) {
        return Problem.of(413, "too-many-events", "Too many events", "the commit holds " + count
                        + " events; at most " + limit + " are taken in one commit")
                .with("field", "events").with("count", count).with("limit", limit);
    }

    /** An event of a raw append larger than an event may be: 413 naming it. */
    static Problem eventTooLarge(String field, long size, long limit) {
        return Problem.of(413, "event-too-large", "Event too large",
                        field + " is " + size + " bytes; an event may be at most " + limit)
                .with("field", field).with("size", size).with("limit", limit);
    }

    static Problem idempotencyKeyReused(UUID key) {
        return Problem.of(422, "idempotency-key-reused", "Idempotency key reused",
                "Idempotency-Key " + key + " was used for a different request (method, path or body)");
    }

    static Problem requestInProgress(UUID key) {
        return Problem.of(409, "request-in-progress", "Request in progress",
                        "a request with Idempotency-Key " + key + " is still being processed; retry shortly")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                .asRetryable();
    }

    /** An HTTP status that Jetty or Javalin produced, with whatever it said. */
    static Problem forStatus(int status, String message) {
        HttpStatus known = HttpStatus.forStatus(status);
        String title = known == HttpStatus.UNKNOWN ? "HTTP " + status : known.getMessage();
        String detail = message == null || message.isBlank() ? title : message;
        return switch (status) {
            case 400 -> Problem.of(status, "invalid-input", "Invalid input", detail);
            case 404 -> Problem.of(status, "not-found", "Not found", detail);
            case 405 -> Problem.of(status, "method-not-allowed", "Method not allowed", detail);
            case 413 -> Problem.of(status, "request-too-large", "Request too large", detail);
            case 415 -> Problem.of(status, "unsupported-media-type", "Unsupported media type", detail);
            default -> Problem.of(status, null, title, detail);
        };
    }

    private static Problem revisionConflict(WrongExpectedRevision e) {
        Problem problem = Problem.of(409, "revision-conflict", "Revision conflict",
                        "stream '" + e.stream() + "' is not at the expected revision " + e.expected()
                                + (e.actual().isPresent() ? " but at " + e.actual().getAsLong() : ""))
                .with("stream", e.stream().value())
                .with("expectedRevision", wire(e.expected()));
        return e.actual().isPresent() ? problem.with("actualRevision", e.actual().getAsLong()) : problem;
    }

    /** An expected revision as a client writes it: a number, {@code "no_stream"} or {@code "any"}. */
    private static Object wire(ExpectedRevision expected) {
        if (expected instanceof ExpectedRevision.Exact exact) {
            return exact.revision();
        }
        return expected.toString();
    }

    private static Problem http(HttpResponseException e) {
        Problem problem = forStatus(e.getStatus(), e.getMessage());
        String allowed = e.getDetails().get("availableMethods");
        if (allowed == null) {
            allowed = e.getDetails().get("Available methods");
        }
        if (e.getStatus() == 405 && allowed != null) {
            problem = problem.withHeader("Allow", allowed).with("allowedMethods", allowed);
        }
        return problem;
    }

    private static Problem unexpected(Throwable failure) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.ERROR, "unexpected failure, error id " + errorId, failure);
        return Problem.of(500, "internal-error", "Internal error",
                        "an unexpected error occurred; it has been logged with error id " + errorId)
                .with("errorId", errorId)
                .asRetryable();
    }

}
