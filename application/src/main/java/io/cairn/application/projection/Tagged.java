package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

/**
 * A per-stream state of a projection that follows several aggregates: the aggregate's state, with the category of
 * the stream it belongs to (which says whose state it is, and how it is stored).
 *
 * @param category the stream's category
 * @param state    the aggregate's state
 */
public record Tagged(String category, Object state) {

    public Tagged {
        requireNonNull(category, "category must not be null");
        requireNonNull(state, "state must not be null");
    }
}
