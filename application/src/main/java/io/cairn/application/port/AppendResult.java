package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;

/**
 * What an append did.
 *
 * @param commit    the commit as stored; for a duplicate, the original one
 * @param duplicate true when the commitId was stored before and this append stored nothing. The earlier store may
 *                  have been this very call's: a network retry inside an adapter whose first attempt landed but
 *                  whose answer was lost comes back as a duplicate. Either way the commit is stored exactly once.
 */
public record AppendResult(RecordedCommit commit, boolean duplicate) {

    public AppendResult {
        requireNonNull(commit, "commit must not be null");
    }

    public long revision() {
        return commit.revision();
    }
}
