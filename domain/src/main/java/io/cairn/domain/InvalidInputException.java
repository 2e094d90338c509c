package io.cairn.domain;

import static java.util.Objects.requireNonNull;

/**
 * A value handed to Cairn from outside is not acceptable: a malformed stream id, a non-positive amount, an
 * empty commit. Permanent: retrying the same input fails the same way. Nothing has been stored when it is thrown.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(requireNonNull(message, "message must not be null"));
        this.field = requireNonNull(field, "field must not be null");
    }

    /** The name of the offending field, as the caller spelled it (e.g. {@code amount}, {@code stream}). */
    public String field() {
        return field;
    }

    public static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidInputException(field, message);
        }
    }
}
