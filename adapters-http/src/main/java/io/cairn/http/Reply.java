package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished answer: what {@link IdempotencyCache} remembers and replays byte for byte.
 *
 * @param retryable true when the same request may get another answer later; such a reply is not remembered
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers, boolean retryable) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    Reply {
        requireNonNull(contentType, "contentType must not be null");
        requireNonNull(body, "body must not be null");
        headers = Map.copyOf(headers);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more, retryable);
    }

    void writeTo(Context ctx) {
        ctx.status(status);
        headers.forEach(ctx::header);
        ctx.contentType(contentType);
        ctx.result(body);
    }
}
