package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail, before it is written: {@code type} is {@code urn:cairn:problem:<slug>}, or
 * {@code about:blank} for a plain HTTP status without a Cairn-specific meaning.
 *
 * @param slug       the problem type's last segment (e.g. {@code insufficient-funds}); null for {@code about:blank}
 * @param extensions extra members of the body (e.g. {@code field}, {@code actualRevision}), in order
 * @param headers    response headers that go with it (e.g. {@code Retry-After})
 * @param retryable  true when the same request may succeed later (store down, contention): such an answer is not
 *                   remembered for idempotent replays, so a retry with the same key runs again
 */
record Problem(int status, String slug, String title, String detail, Map<String, Object> extensions,
               Map<String, String> headers, boolean retryable) {

    static final String TYPE_PREFIX = "urn:cairn:problem:";

    Problem {
        requireNonNull(title, "title must not be null");
        requireNonNull(detail, "detail must not be null");
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        headers = Map.copyOf(headers);
    }

    static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail, Map.of(), Map.of(), false);
    }

    String type() {
        return slug == null ? "about:blank" : TYPE_PREFIX + slug;
    }

    Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, slug, title, detail, more, headers, retryable);
    }

    Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(status, slug, title, detail, extensions, more, retryable);
    }

    Problem asRetryable() {
        return new Problem(status, slug, title, detail, extensions, headers, true);
    }

    /** The body: {@code type, title, status, detail, instance}, then the extensions. */
    Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        extensions.forEach(body::putIfAbsent);
        return body;
    }
}
