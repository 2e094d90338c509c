package io.cairn.http;

import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The token a command or raw append answers with, naming the commit it made: {@code GET /views/…?after=<token>}
 * waits until the view has applied that commit, so a client reads its own write. Opaque to clients:
 * {@code w1.<stream, base64url>.<revision>}.
 *
 * @param stream   the commit's stream
 * @param revision the commit's revision
 */
record WriteToken(StreamId stream, long revision) {

    private static final String PREFIX = "w1.";

    static boolean looksLikeOne(String value) {
        return value.startsWith(PREFIX);
    }

    String encode() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(stream.value().getBytes(StandardCharsets.UTF_8)) + "." + revision;
    }

    /** @throws InvalidInputException naming {@code field} when {@code value} is not a token this server made */
    static WriteToken decode(String field, String value) {
        String problem = "'" + value + "' is not a write token (the \"token\" of a command's or append's answer)";
        if (!looksLikeOne(value)) {
            throw new InvalidInputException(field, problem);
        }
        String rest = value.substring(PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot < 1) {
            throw new InvalidInputException(field, problem);
        }
        try {
            String stream = new String(Base64.getUrlDecoder().decode(rest.substring(0, dot)), StandardCharsets.UTF_8);
            long revision = Long.parseLong(rest.substring(dot + 1));
            if (revision < 1) {
                throw new InvalidInputException(field, problem);
            }
            return new WriteToken(StreamId.of(stream), revision);
        } catch (IllegalArgumentException e) { // bad base64, number or stream id
            throw new InvalidInputException(field, problem);
        }
    }
}
