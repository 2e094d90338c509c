package io.cairn.application.port;

import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.util.List;

/**
 * Where streams live: an ordered list of commits per stream, appended to under optimistic concurrency.
 *
 * <p>Implementations are thread-safe; any number of threads may append and read at once, on the same stream or
 * on different ones. Reads are strongly consistent: a read that starts after an append was acknowledged sees it.
 */
public interface EventStore {

    /**
     * The largest number of commits {@link #read} returns in one slice, whatever {@code maxCommits} asks for.
     */
    int MAX_SLICE = 1_000;

    /**
     * The number of latest commits of a stream among which an {@link ExpectedRevision#ANY} retry is guaranteed to
     * be recognised as a duplicate. Adapters may look further back (the in-memory and PostgreSQL stores look at
     * the whole stream).
     */
    int ANY_IDEMPOTENCY_WINDOW = 16;

    /**
     * The largest commit every Cairn store takes, in bytes as {@link Commit#approximateSize()} counts them: DynamoDB's
     * item limit, so that a commit that works on one store works on all.
     */
    long MAX_COMMIT_BYTES = 400 * 1024;

    /**
     * Appends one commit atomically, as one conditional write: all of its events are stored, or none.
     *
     * <p><b>Idempotency.</b> The commit's {@code commitId} is its idempotency key. When the commit already stored
     * at the revision this append would create ({@code expected + 1}) has the same commitId, nothing is stored and
     * the original commit is returned with {@link AppendResult#duplicate()} set: this holds for an exact expected
     * revision and {@link ExpectedRevision#NO_STREAM} however far the stream has moved on since. With
     * {@link ExpectedRevision#ANY}, a commit whose id is among the stream's last {@link #ANY_IDEMPOTENCY_WINDOW}
     * commits is likewise a duplicate. A <em>different</em> commitId at a taken revision is a conflict. Commit ids
     * are unique per stream: the same id in two streams makes two unrelated commits. A retry with an expected
     * revision other than the original's may be recognised (the in-memory and PostgreSQL stores look the id up
     * in the whole stream) or fail as a conflict (DynamoDB); callers that need more, like the command handler,
     * read the stream after a conflict and look for their commit id there.
     *
     * @param stream   not null
     * @param expected not null: the revision the stream must be at, {@code NO_STREAM}, or {@code ANY}
     * @param commit   not null, with at least one event
     * @return the stored commit, with its revision, event numbers, time and (where the store has one) position
     * @throws WrongExpectedRevision     when the stream is not at {@code expected}; carries the actual revision
     *                                   where the store can tell it. Nothing was stored.
     * @throws CommitTooLargeException   when the commit is over {@link #MAX_COMMIT_BYTES}; checked before any
     *                                   write, so nothing was stored
     * @throws StoreUnavailableException when the store cannot be reached; the commit may or may not have been
     *                                   stored, and retrying with the same commitId is safe
     */
    AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit);

    /**
     * Reads commits of one stream in revision order, starting at {@code fromRevision}.
     *
     * @param stream       not null
     * @param fromRevision the first revision wanted, {@code >= 1}
     * @param maxCommits   the most commits wanted, {@code >= 1}; capped at {@link #MAX_SLICE}
     * @return the commits with revision {@code >= fromRevision}, ascending, gap-free, at most {@code maxCommits};
     *         empty when the stream has none there (including when it does not exist)
     * @throws IllegalArgumentException  for {@code fromRevision < 1} or {@code maxCommits < 1}
     * @throws StoreUnavailableException when the store cannot be reached
     */
    StreamSlice read(StreamId stream, long fromRevision, int maxCommits);

    /**
     * Reads commits of one stream in revision order from {@code fromRevision} up to {@code toRevision} at most, and
     * looks at no commit beyond {@code toRevision}: the read of a state as it was at a past revision, or of the
     * commits a projection misses before one it holds. Unlike {@link #read}, which may look one commit further to
     * tell the end of the stream, a store reads nothing past the bound (a key range, not a limit plus one).
     *
     * <p>The default implementation goes through {@link #read} with a limit of what the bound leaves, which is
     * correct but may look one commit further; every Cairn store overrides it.
     *
     * @param stream       not null
     * @param fromRevision the first revision wanted, {@code >= 1}
     * @param toRevision   the last revision wanted, {@code >= fromRevision}
     * @param maxCommits   the most commits wanted, {@code >= 1}; capped at {@link #MAX_SLICE}
     * @return the commits with {@code fromRevision <= revision <= toRevision}, ascending, gap-free, at most
     *         {@code maxCommits}. {@link StreamSlice#endOfStream()} is true when the stream ended before the slice
     *         was full (fewer commits than {@code min(maxCommits, MAX_SLICE, toRevision - fromRevision + 1)}); a
     *         full slice says false, as the store did not look further (read on from
     *         {@link StreamSlice#nextRevision()} while that is {@code <= toRevision})
     * @throws IllegalArgumentException  for {@code fromRevision < 1}, {@code toRevision < fromRevision} or
     *                                   {@code maxCommits < 1}
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        int wanted = EventStores.checkReadUpTo(stream, fromRevision, toRevision, maxCommits);
        StreamSlice slice = read(stream, fromRevision, wanted);
        List<RecordedCommit> commits = slice.commits().size() > wanted ? slice.commits().subList(0, wanted)
                : slice.commits();
        return new StreamSlice(stream, fromRevision, commits, slice.endOfStream() && commits.size() < wanted);
    }

    /**
     * The stream's current revision: its number of commits, 0 when it does not exist.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    long revision(StreamId stream);
}
