package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;

/** Argument checks every {@link EventStore} and {@link GlobalLog} makes the same way, before touching its storage. */
public final class EventStores {

    private EventStores() {
    }

    /**
     * @throws NullPointerException    for a null argument
     * @throws CommitTooLargeException when the commit is over {@link EventStore#MAX_COMMIT_BYTES}
     */
    public static void checkAppend(StreamId stream, ExpectedRevision expected, Commit commit) {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(expected, "expected must not be null");
        requireNonNull(commit, "commit must not be null");
        long size = commit.approximateSize();
        if (size > EventStore.MAX_COMMIT_BYTES) {
            throw new CommitTooLargeException(stream, size, EventStore.MAX_COMMIT_BYTES);
        }
    }

    /** @throws IllegalArgumentException for {@code fromRevision < 1} or {@code maxCommits < 1} */
    public static void checkRead(StreamId stream, long fromRevision, int maxCommits) {
        requireNonNull(stream, "stream must not be null");
        if (fromRevision < 1) {
            throw new IllegalArgumentException("fromRevision must be >= 1, was " + fromRevision);
        }
        checkMaxCommits(maxCommits);
    }

    /**
     * Checks the arguments of {@link EventStore#readUpTo}.
     *
     * @return how many commits the slice holds when the stream does not end first:
     *         {@code min(maxCommits, MAX_SLICE, toRevision - fromRevision + 1)}
     * @throws IllegalArgumentException for {@code fromRevision < 1}, {@code toRevision < fromRevision} or
     *                                  {@code maxCommits < 1}
     */
    public static int checkReadUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        checkRead(stream, fromRevision, maxCommits);
        if (toRevision < fromRevision) {
            throw new IllegalArgumentException("toRevision must be >= fromRevision " + fromRevision + ", was "
                    + toRevision);
        }
        return (int) Math.min(Math.min(maxCommits, EventStore.MAX_SLICE), toRevision - fromRevision + 1);
    }

    /** @throws IllegalArgumentException for {@code fromPosition < 0} or {@code maxCommits < 1} */
    public static void checkReadAll(long fromPosition, int maxCommits) {
        if (fromPosition < 0) {
            throw new IllegalArgumentException("fromPosition must be >= 0, was " + fromPosition);
        }
        checkMaxCommits(maxCommits);
    }

    private static void checkMaxCommits(int maxCommits) {
        if (maxCommits < 1) {
            throw new IllegalArgumentException("maxCommits must be >= 1, was " + maxCommits);
        }
    }
}
