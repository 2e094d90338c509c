package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import java.time.Instant;

/**
 * What a query of an aggregate's state as it was (at a revision, or at an instant) found: the state, or why there is
 * none. See {@link AggregateQueries#atRevision} and {@link AggregateQueries#atInstant}.
 *
 * @param <S> the aggregate's state type
 */
public sealed interface PastState<S>
        permits PastState.Found, PastState.NoStream, PastState.BeyondStream, PastState.BeforeStream {

    /** Where the fold that made a {@link Found} state began. */
    enum Base {
        /** The state before the first commit: every commit up to the target was read. */
        INITIAL,
        /** The stream's stored snapshot. */
        SNAPSHOT,
        /** The stream's view (the read model is a snapshot too). */
        VIEW
    }

    /**
     * The state as it was.
     *
     * @param snapshot     the state and the revision it reflects: the revision asked for, or that of the last commit
     *                     recorded at or before the instant asked for
     * @param base         where the fold began
     * @param baseRevision the revision of that base (0 for {@link Base#INITIAL})
     * @param commitsRead  how many commits the store returned to answer: {@code revision - baseRevision} for a
     *                     revision; for an instant, also the one that shows a base is not too new and those
     *                     read beyond the instant
     */
    record Found<S>(Snapshot<S> snapshot, Base base, long baseRevision, long commitsRead) implements PastState<S> {
        public Found {
            requireNonNull(snapshot, "snapshot must not be null");
            requireNonNull(base, "base must not be null");
        }
    }

    /** The stream has no commit at all. */
    record NoStream<S>() implements PastState<S> {
    }

    /**
     * The revision asked for is beyond the stream's last commit.
     *
     * @param revision        the revision asked for
     * @param currentRevision the stream's revision when it was read, {@code >= 1}
     */
    record BeyondStream<S>(long revision, long currentRevision) implements PastState<S> {
    }

    /**
     * The instant asked for is before the stream's first commit was recorded: the aggregate did not exist then.
     *
     * @param firstRecordedAt when the stream's first commit was recorded
     */
    record BeforeStream<S>(Instant instant, Instant firstRecordedAt) implements PastState<S> {
        public BeforeStream {
            requireNonNull(instant, "instant must not be null");
            requireNonNull(firstRecordedAt, "firstRecordedAt must not be null");
        }
    }
}
