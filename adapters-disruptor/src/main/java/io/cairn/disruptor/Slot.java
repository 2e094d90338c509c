package io.cairn.disruptor;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.RecordedCommit;

/** One pre-allocated ring entry: a commit from either channel. Cleared by the ring's last stage after use. */
final class Slot {

    RecordedCommit commit;
    /** The durable channel's checkpoint that comes with the commit; null when it came by the fast channel. */
    Checkpoint checkpoint;
    /** Set when a consumer failed on this commit: the checkpoint must not move past it. */
    volatile boolean failed;

    void set(RecordedCommit commit, Checkpoint checkpoint) {
        this.commit = commit;
        this.checkpoint = checkpoint;
        this.failed = false;
    }

    void clear() {
        commit = null;
        checkpoint = null;
        failed = false;
    }
}
