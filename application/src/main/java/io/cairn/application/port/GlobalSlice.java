package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import java.util.List;

/**
 * A run of consecutive commits in a store's global order.
 *
 * @param fromPosition the position the read asked for
 * @param commits      ascending by position, without gaps; every commit has a position
 */
public record GlobalSlice(long fromPosition, List<RecordedCommit> commits) {

    public GlobalSlice {
        requireNonNull(commits, "commits must not be null");
        commits = List.copyOf(commits);
        for (RecordedCommit commit : commits) {
            if (commit.position().isEmpty()) {
                throw new IllegalArgumentException("commit " + commit.commitId() + " has no global position");
            }
        }
    }

    /** The position to read from to continue after this slice. */
    public long nextPosition() {
        return commits.isEmpty()
                ? Math.max(1, fromPosition)
                : commits.get(commits.size() - 1).position().getAsLong() + 1;
    }
}
