package io.cairn.domain;


/**
 * A body that is not JSON at all (a syntax error, a duplicate key, more than one value), as opposed to JSON of the
 * wrong shape. Answered 400 with the problem type {@code malformed-json}. Nothing has been stored.
 */
public final class MalformedJsonException extends InvalidInputException {

    /**
     * @param field   where the parser stopped ({@code body} when it cannot tell), not null
     * @param message a sentence for people, not null
     */
    public MalformedJsonException(String field, String message) {
        super(field, message);
    }
}
