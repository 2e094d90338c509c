package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;

/**
 * What an append did.
 *
 * @param commit    the commit as stored; for a duplicate, the original one
 * @param duplicate true when the commitId was stored before and this append stored nothing
 */
public record AppendResult(RecordedCommit commit, boolean duplicate) {

    public AppendResult {
        requireNonNull(commit, "commit must not be null");
    }

    public long revision() {
        return commit.revision();
    }
}
