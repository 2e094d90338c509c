package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * An aggregate's state at a revision: what a {@link SnapshotStore} keeps beside a stream and what a
 * {@link ViewStore} keeps as the read model (Cairn's views are snapshots the projector keeps current).
 *
 * <p>It also remembers the ids of the last {@link #IDEMPOTENCY_WINDOW} commits it covers, so that a command
 * retried after its commit was applied is recognised without reading the stream.
 *
 * @param revision        the revision the state reflects; 0 for the state before any commit
 * @param recentCommitIds ids of the last commits folded in, oldest first, the last one at {@code revision}
 */
public record Snapshot<S>(StreamId stream, long revision, S state, List<UUID> recentCommitIds) {

    /** How many commit ids a snapshot remembers. */
    public static final int IDEMPOTENCY_WINDOW = 64;

    public Snapshot {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(state, "state must not be null");
        recentCommitIds = List.copyOf(requireNonNull(recentCommitIds, "recentCommitIds must not be null"));
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be >= 0, was " + revision);
        }
        if (recentCommitIds.size() > Math.min(revision, IDEMPOTENCY_WINDOW)) {
            throw new IllegalArgumentException("a snapshot at revision " + revision + " cannot remember "
                    + recentCommitIds.size() + " commits");
        }
    }

    /** The state before the stream's first commit. */
    public static <S> Snapshot<S> initial(StreamId stream, S state) {
        return new Snapshot<>(stream, 0, state, List.of());
    }

    /** The revision at which {@code commitId} was stored, when it is among the remembered commits. */
    public OptionalLong revisionOf(UUID commitId) {
        int index = recentCommitIds.lastIndexOf(commitId);
        if (index < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(revision - (recentCommitIds.size() - 1 - index));
    }

    /** This snapshot moved on by one commit. */
    public Snapshot<S> next(S newState, UUID commitId) {
        List<UUID> ids = new ArrayList<>(recentCommitIds.size() + 1);
        ids.addAll(recentCommitIds);
        ids.add(commitId);
        if (ids.size() > IDEMPOTENCY_WINDOW) {
            ids = ids.subList(ids.size() - IDEMPOTENCY_WINDOW, ids.size());
        }
        return new Snapshot<>(stream, revision + 1, newState, ids);
    }
}
