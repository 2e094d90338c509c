package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for the {@link GroupCommitAppender}: what to append, and the future its caller waits on.
 *
 * @param size the commit's approximate size in bytes, to bound a batch
 */
record PendingAppend(StreamId stream, ExpectedRevision expected, Commit commit, long size,
                     CompletableFuture<Outcome> outcome) {

    PendingAppend {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(expected, "expected must not be null");
        requireNonNull(commit, "commit must not be null");
        requireNonNull(outcome, "outcome must not be null");
    }

    static PendingAppend of(StreamId stream, ExpectedRevision expected, Commit commit) {
        return new PendingAppend(stream, expected, commit, commit.approximateSize(), new CompletableFuture<>());
    }

    /** What became of an append once its batch's transaction ended. */
    sealed interface Outcome permits Appended, Duplicate, Conflict {
    }

    /** Stored, as {@code commit}. */
    record Appended(RecordedCommit commit) implements Outcome {
    }

    /** Stored before, at {@code position}: nothing was stored now. */
    record Duplicate(long position) implements Outcome {
    }

    /** The stream was at {@code actualRevision}, not at the expected one: nothing was stored. */
    record Conflict(long actualRevision) implements Outcome {
    }
}
