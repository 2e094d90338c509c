package io.cairn.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cairn.application.port.CommitTooLargeException;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.Rejection;
import io.cairn.domain.WrongExpectedRevision;
import io.cairn.accounts.AccountRejections;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The one place where failures become RFC 9457 problem details. Every exception a request can raise, and every
 * business rejection, is mapped here; what is not recognised is logged with an error id and answered 500 with a
 * generic detail, so no stack trace or internal message ever reaches a client.
 *
 * <p>Problem types are {@code urn:cairn:problem:<slug>}: {@code invalid-input} and {@code malformed-json} (400),
 * {@code account-not-found}, {@code stream-not-found}, {@code not-found} (404), {@code method-not-allowed} (405),
 * {@code revision-conflict}, {@code concurrency-conflict}, {@code request-in-progress} (409),
 * {@code request-too-large}, {@code commit-too-large} (413), {@code unsupported-media-type} (415), the business
 * rejection's reason with dashes, e.g. {@code insufficient-funds}, and {@code idempotency-key-reused} (422),
 * {@code internal-error} (500), {@code no-global-order}, {@code no-live-feed} (501), {@code store-unavailable} (503).
 */
final class ProblemMapper {

    private static final System.Logger LOG = System.getLogger(ProblemMapper.class.getName());

    static final String RETRY_AFTER_SECONDS = "1";

    /** Maps any failure of a request; never throws. */
    Problem map(Throwable failure) {
        if (failure instanceof ProblemException e) {
            return e.problem();
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
            return json(e);
        }
        if (failure instanceof HttpResponseException e) {
            return http(e);
        }
        return unexpected(failure);
    }

    /** A business rule refused an account command. */
    Problem rejection(String accountId, Rejection rejection) {
        if (AccountRejections.NOT_OPEN.equals(rejection.reason())) {
            return accountNotFound(accountId).with("reason", rejection.reason());
        }
        String slug = rejection.reason().replace('_', '-').toLowerCase(Locale.ROOT);
        return Problem.of(422, slug, title(rejection.reason()), rejection.detail())
                .with("reason", rejection.reason());
    }

    static Problem invalid(String field, String detail) {
        Problem problem = Problem.of(400, "invalid-input", "Invalid input", detail);
        return field == null ? problem : problem.with("field", field);
    }

    static Problem accountNotFound(String accountId) {
        return Problem.of(404, "account-not-found", "Account not found",
                "account '" + accountId + "' has not been opened").with("accountId", accountId);
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

    private static Problem json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return invalid(path(unknown), "unknown field '" + unknown.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            if (field == null) {
                return e.getMessage() != null && e.getMessage().startsWith("Trailing token")
                        ? Problem.of(400, "malformed-json", "Malformed JSON",
                                "the body holds more than one JSON value: " + e.getOriginalMessage())
                        : invalid(null, "the body must be a JSON object");
            }
            return invalid(field, field + " must be " + describe(mismatch.getTargetType()));
        }
        if (e instanceof InputCoercionException coercion) {
            String field = field(coercion.getProcessor());
            return invalid(field, (field == null ? "a number" : field) + " is out of range");
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException) {
            String field = path(mapping);
            return invalid(field, (field == null ? "a number" : field) + " is out of range");
        }
        if (e instanceof JsonMappingException mapping) {
            return invalid(path(mapping), "the body does not fit: " + mapping.getOriginalMessage());
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = e instanceof StreamReadException read ? field(read.getProcessor()) : null;
        Problem problem = Problem.of(400, "malformed-json", "Malformed JSON",
                "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        return field == null ? problem : problem.with("field", field);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "of another type";
    }

    /** The JSON path of a mapping failure, e.g. {@code events[0].type}; null at the root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    /** The path where a parser stopped, from its JSON pointer (e.g. {@code /events/0/type}). */
    private static String field(Object processor) {
        if (!(processor instanceof JsonParser parser) || parser.getParsingContext() == null) {
            return null;
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        if (pointer.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.substring(1).split("/", -1)) {
            if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return path.toString();
    }

    private static Problem unexpected(Throwable failure) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.ERROR, "unexpected failure, error id " + errorId, failure);
        return Problem.of(500, "internal-error", "Internal error",
                        "an unexpected error occurred; it has been logged with error id " + errorId)
                .with("errorId", errorId)
                .asRetryable();
    }

    private static String title(String reason) {
        String words = reason.replace('_', ' ');
        return words.isEmpty() ? "Rejected" : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
