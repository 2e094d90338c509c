package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A commit a document projection was told to skip after it stopped there ({@link Projection#skip}): it is treated as
 * applied with no document change. Kept in the projection's persisted skip list, so that it stays skipped (and shown)
 * across restarts.
 *
 * @param stream    the commit's stream
 * @param revision  the commit's revision
 * @param position  the commit's global position, where the store has one
 * @param error     why the projection had stopped there
 * @param at        when it stopped there
 * @param skippedAt when it was told to skip it
 */
public record SkippedCommit(StreamId stream, long revision, OptionalLong position, String error, Instant at,
                            Instant skippedAt) {

    public SkippedCommit {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(position, "position must not be null");
        requireNonNull(error, "error must not be null");
        requireNonNull(at, "at must not be null");
        requireNonNull(skippedAt, "skippedAt must not be null");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
    }

    /** The failure's commit, skipped at {@code skippedAt}. */
    static SkippedCommit of(ProjectionFailure failure, Instant skippedAt) {
        return new SkippedCommit(failure.stream(), failure.revision(), failure.position(), failure.error(),
                failure.at(), skippedAt);
    }

    /** Whether {@code commit} is the one skipped: the same stream and revision (a stream's revisions are unique). */
    boolean is(RecordedCommit commit) {
        return revision == commit.revision() && stream.equals(commit.stream());
    }
}
