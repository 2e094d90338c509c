package io.cairn.application.port;

import io.cairn.domain.RecordedCommit;

/**
 * The commits a projector's gate lets through, in the order it lets them through: exactly once each, in revision
 * order per stream, and in position order on a store with a {@link GlobalLog}. This is the merged output of the
 * durable and the fast channel; whoever follows it sees a commit about as soon as the views do.
 */
public interface ReleasedCommits {

    /**
     * Starts telling {@code listener} about every commit released from now on.
     *
     * @param listener not null; called on the projector's own threads, right after the commit's view became
     *                 visible. It must return quickly and never block (hand the commit off to a queue of its own):
     *                 a slow listener holds up the projection. An exception it throws is logged and ignored.
     * @return a handle that stops the calls; after {@code close()} returns no call is in progress or will start
     */
    Subscription follow(Listener listener);

    @FunctionalInterface
    interface Listener {

        /**
         * @param commit     the released commit, with its position where the store has a global order
         * @param checkpoint where a reader that has seen this commit resumes. On a store with a global order, the
         *                   commit's own position, and resuming from it is exact. Without one (DynamoDB), the
         *                   projection's last saved durable checkpoint, which may lie before this commit (resuming
         *                   from it repeats some commits); null while the projection has saved none
         */
        void released(RecordedCommit commit, Checkpoint checkpoint);
    }
}
