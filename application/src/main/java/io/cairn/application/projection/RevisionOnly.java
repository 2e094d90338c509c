package io.cairn.application.projection;

import io.cairn.application.CachingViewStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewStores;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import java.util.Optional;
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

    /**
     * Revisions kept in this process only, for at most {@code maximumStreams} streams (the least recently used
     * are forgotten): what the live feed's projection keeps. What a process has shown its own subscribers is its
     * own business, so nothing is stored (several processes sharing a store would otherwise read each other's
     * progress), and a stream forgotten or first seen after a restart starts at the first commit seen of it
     * ({@link Fold#startsAtFirstSight()}), never replaying its history.
     */
    public static CachingViewStore<RevisionOnly> inProcess(long maximumStreams) {
        return CachingViewStore.over(NOT_STORED, maximumStreams);
    }

    /** A view store that keeps nothing: every write succeeds, every read finds nothing (the cache in front keeps). */
    private static final ViewStore<RevisionOnly> NOT_STORED = new ViewStore<>() {
        @Override
        public Optional<Snapshot<RevisionOnly>> get(StreamId stream) {
            return Optional.empty();
        }

        @Override
        public boolean put(Snapshot<RevisionOnly> view, long replacing) {
            ViewStores.checkReplacing(view, replacing);
            return true;
        }

        @Override
        public void deleteAll() {
        }
    };
}
