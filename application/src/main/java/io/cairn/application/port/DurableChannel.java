package io.cairn.application.port;

import io.cairn.domain.RecordedCommit;
import java.util.Optional;

/**
 * The catch-up channel: follows what the store has durably stored. It is the truth a projector relies on; the
 * {@link FastChannel} only makes it quicker.
 */
public interface DurableChannel {

    /**
     * Starts delivering, on threads of the channel's own, every commit stored after {@code after} (from the very
     * first when empty), at least once: in store order for a store with a global order. A store without one may
     * deliver two commits of one stream out of revision order (DynamoDB Streams orders only per item): the
     * projector's per-stream gate puts them in order. Each commit comes with the checkpoint that covers it and
     * everything delivered before it.
     * A delivery whose listener throws is delivered again after a pause, so one failing write stalls the
     * subscription instead of skipping a commit.
     *
     * @param after    where to resume, as returned with an earlier delivery; empty to start at the beginning
     * @param listener not null; called by one thread at a time
     * @return a handle that stops the deliveries; closing waits for a delivery in progress to finish
     * @throws IllegalArgumentException when {@code after} is not a checkpoint this channel issued
     */
    Subscription subscribe(Optional<Checkpoint> after, Listener listener);

    @FunctionalInterface
    interface Listener {
        void onCommit(RecordedCommit commit, Checkpoint checkpoint) throws Exception;

        /**
         * The subscription has delivered everything the store held when it last looked, on the delivering thread,
         * after the last {@link #onCommit} it covers: what a rebuild in stream order waits for before it counts as
         * caught up. A channel in store order (PostgreSQL, memory) need not call it: there the store's head position
         * says as much. DynamoDB Streams calls it after each polling round in which no shard had a record (the scan
         * of a rebuild done, every shard read to its current end), so possibly many times. Does nothing by default.
         */
        default void reachedEnd() {
        }

        /**
         * In global order: the position through which this listener already has every commit by other means (a
         * projector's gate, fed by the fast channel), 0 when it has none that way (and always in stream order). A
         * channel may then skip reading and delivering the commits up to it: it saves reads, never changes what the
         * listener ends up with. Called on the channel's thread, often: must be cheap and must not block. 0 by
         * default.
         */
        default long hasThrough() {
            return 0;
        }
    }
}
