package io.cairn.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cairn.domain.InvalidInputException;
import io.cairn.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads request bodies: bounded in size, JSON only, into DTO records with Cairn's strict mapper (unknown fields,
 * floats for integers, scalars of the wrong type, duplicate keys and trailing tokens are refused). A missing field arrives as null and is
 * refused by name ({@link #required}), so every field error says which field it is. Thread-safe.
 */
final class RequestBodies {

    /** How much of a refused body is read and discarded, in multiples of the limit. */
    static final long DRAIN_FACTOR = 4;
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final ObjectMapper mapper;
    /** One reader per body type, built once (a reader looks its root deserializer up when it is made). */
    private final ClassValue<ObjectReader> readers = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        }
    };
    private final long maxBytes;

    RequestBodies(long maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = Json.strictMapper();
    }

    /**
     * The body's bytes. A declared length over the limit is refused before anything is kept; a body without one
     * (chunked) is read up to one byte past the limit, and refused there.
     *
     * <p>Before a refusal, what the client still sends is read and thrown away, up to {@link #DRAIN_FACTOR} times
     * the limit: answering while a client still writes makes the server close the connection under it, and the
     * client would see a reset instead of the 413. A larger body is cut off. A client that sent
     * {@code Expect: 100-continue} is refused before it sends anything.
     *
     * @throws ProblemException 413 when the body is larger than the limit
     */
    byte[] read(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            // not even opening the input: that would tell a client waiting on Expect: 100-continue to send
            if (!"100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
                try (InputStream in = ctx.req().getInputStream()) {
                    drain(in);
                }
            }
            throw new ProblemException(ProblemMapper.requestTooLarge(maxBytes));
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0 && declared <= Integer.MAX_VALUE - 16) {
                // within the limit; the declared length is where HTTP ends the body, so read exactly that much
                // (an early end of the stream gives fewer bytes, as reading to the end did)
                return in.readNBytes((int) declared);
            }
            byte[] body = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
            if (body.length > maxBytes) {
                drain(in);
                throw new ProblemException(ProblemMapper.requestTooLarge(maxBytes));
            }
            return body;
        }
    }

    /**
     * Reads what is left of a refused request's body and throws it away, within the same bounds as a body over the
     * limit, so that the client reads the refusal instead of a reset; nothing when it waits on
     * {@code Expect: 100-continue}.
     */
    void discard(Context ctx) throws IOException {
        if ("100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            return;
        }
        try (InputStream in = ctx.req().getInputStream()) {
            drain(in);
        }
    }

    private void drain(InputStream in) throws IOException {
        long budget = maxBytes > Long.MAX_VALUE / DRAIN_FACTOR ? Long.MAX_VALUE : maxBytes * DRAIN_FACTOR;
        byte[] sink = new byte[8192];
        for (int n = in.read(sink); n >= 0 && budget > 0; n = in.read(sink)) {
            budget -= n;
        }
    }

    /**
     * Refuses a body declared as anything but JSON ({@code application/json} or {@code application/*+json}).
     * A request without a Content-Type is accepted: curl users forget it, and the body must parse as JSON anyway.
     *
     * @throws ProblemException 415
     */
    void requireJson(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int parameters = contentType.indexOf(';');
        String mime = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
                .toLowerCase(Locale.ROOT);
        if (mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json")) {
            return;
        }
        throw new ProblemException(ProblemMapper.unsupportedMediaType(contentType)
                .withHeader("Accept", Reply.JSON));
    }

    /** Parses {@code body} (an empty body reads as {@code {}}) into {@code type}. */
    <T> T parse(byte[] body, Class<T> type) throws IOException {
        T parsed = readers.get(type).readValue(body.length == 0 ? EMPTY_OBJECT : body);
        if (parsed == null) {
            // the JSON literal null: valid JSON, but not the object every endpoint takes
            throw new InvalidInputException("body", "the body must be a JSON object, not null");
        }
        return parsed;
    }

    /** A JSON value as compact text. */
    String text(JsonNode value) throws IOException {
        return mapper.writeValueAsString(value);
    }

    /** {@code value}, or a 400 naming {@code field} when it is missing. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }
}
