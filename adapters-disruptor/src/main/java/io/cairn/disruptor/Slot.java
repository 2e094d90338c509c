package io.cairn.disruptor;

import io.cairn.application.projection.Delivery;
import io.cairn.domain.RecordedCommit;

/** One pre-allocated ring entry: a commit from either channel. Cleared by the ring's last stage after use. */
final class Slot {

    RecordedCommit commit;
    /** Which channel brought it (a durable one with its checkpoint); null only while the slot is empty. */
    Delivery delivery;
    /** Set when a consumer failed on this commit: the checkpoint must not move past it. */
    volatile boolean failed;

    void set(RecordedCommit commit, Delivery delivery) {
        this.commit = commit;
        this.delivery = delivery;
        this.failed = false;
    }

    void clear() {
        commit = null;
        delivery = null;
        failed = false;
    }
}
