package io.cairn.application.projection;

import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StateCodec;

/**
 * The state of the all-commits projection's views ({@link Projection#allCommits}): none. Such a view is a stream's
 * revision and nothing else; its row in a view store is the revision with an empty JSON object as state.
 */
public enum RevisionOnly {
    INSTANCE;

    private static final StateCodec<RevisionOnly> CODEC = new StateCodec<>() {
        @Override
        public String encode(RevisionOnly state) {
            return "{}";
        }

        @Override
        public RevisionOnly decode(String json) {
            if (json == null || !json.replaceAll("\\s", "").equals("{}")) {
                throw new InvalidInputException("state", "a revision-only view has the state {}, not " + json);
            }
            return INSTANCE;
        }

        @Override
        public int schemaVersion() {
            return 1;
        }
    };

    /** The codec of these views for a view store that keeps states as JSON: {@code {}}, schema version 1. */
    public static StateCodec<RevisionOnly> codec() {
        return CODEC;
    }
}
