package io.cairn.application.projection;

/** Which order a projection's gate enforces: what "exactly the next commit" means. */
public enum Ordering {
    /**
     * One order for the whole store: the next commit is the one at the next global position. For stores with a
     * {@link io.cairn.application.port.GlobalLog} (PostgreSQL, in-memory); one consumer, the checkpoint is the
     * position of the contiguous prefix released.
     */
    GLOBAL_POSITION,
    /**
     * One order per stream: the next commit of a stream is the one at its view's next revision. For stores without
     * a global order (DynamoDB); the consumer can be sharded by stream.
     */
    STREAM_REVISION
}
