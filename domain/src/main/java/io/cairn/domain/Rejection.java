package io.cairn.domain;

import static java.util.Objects.requireNonNull;

/**
 * A business rule refused a command. Not an error of the system: a value the caller can act on.
 *
 * @param reason machine-readable, snake_case (e.g. {@code insufficient_funds})
 * @param detail a sentence for people
 */
public record Rejection(String reason, String detail) {

    public Rejection {
        requireNonNull(reason, "reason must not be null");
        requireNonNull(detail, "detail must not be null");
    }
}
