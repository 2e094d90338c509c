package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.List;

/**
 * A run of consecutive commits of one stream.
 *
 * @param commits     ascending by revision, without gaps
 * @param endOfStream true when the store knows no commit follows the last one returned (at the time of the read);
 *                    false means more may follow: read again from {@link #nextRevision()}
 */
public record StreamSlice(StreamId stream, long fromRevision, List<RecordedCommit> commits, boolean endOfStream) {

    public StreamSlice {
        requireNonNull(stream, "stream must not be null");
        commits = List.copyOf(requireNonNull(commits, "commits must not be null"));
    }

    /** The revision to read from to continue after this slice. */
    public long nextRevision() {
        return commits.isEmpty() ? fromRevision : commits.get(commits.size() - 1).revision() + 1;
    }

    /** The revision of the last commit returned, or {@code fromRevision - 1} when there is none. */
    public long lastRevision() {
        return nextRevision() - 1;
    }
}
