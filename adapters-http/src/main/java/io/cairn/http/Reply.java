package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    /**
     * Bodies up to this size are written straight into the response, which holds them in Jetty's buffer until the
     * exchange completes (so nothing reaches the socket while later handlers run); larger ones go through Javalin's
     * result, which copies them through a buffer of {@code responseBufferSize} after the handlers.
     */
    static final int DIRECT_WRITE_LIMIT = 8 * 1024;

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

    /**
     * Sets the status, headers and content type, then writes the body: a small one at once into the response's
     * output stream (Javalin's compression still decides on it, on its first write), a larger one as the result.
     * Call it once per request, last: a small body cannot be taken back.
     */
    void writeTo(Context ctx) {
        ctx.status(status);
        headers.forEach(ctx::header);
        ctx.contentType(contentType);
        if (body.length > DIRECT_WRITE_LIMIT) {
            ctx.result(body);
            return;
        }
        try {
            ctx.outputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the response", e);
        }
    }
}
