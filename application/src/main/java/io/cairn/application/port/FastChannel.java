package io.cairn.application.port;

import io.cairn.domain.RecordedCommit;
import java.util.function.Consumer;

/**
 * The fast, in-process channel: commits published right after their append was acknowledged. A hint, not the
 * truth: a message may be dropped (a full buffer, a crash), and the {@link DurableChannel} brings it later.
 */
public interface FastChannel {

    /** A fast channel that delivers nothing: a projector listening to it follows its durable channel only. */
    static FastChannel none() {
        return new FastChannel() {
            @Override
            public void publish(RecordedCommit commit) {
            }

            @Override
            public Subscription listen(Consumer<RecordedCommit> listener) {
                return () -> { };
            }
        };
    }

    /**
     * Hands a just-stored commit to the listeners. Never blocks and never throws, so it can never delay or fail
     * the append it follows: a listener with no room drops the commit (the durable channel brings it).
     *
     * @param commit not null
     */
    void publish(RecordedCommit commit);

    /**
     * @param listener called on the publishing thread, concurrently when several threads publish. It must return
     *                 at once and never block: it hands the commit off (a projector's ring offers it and drops it
     *                 when full). An exception it throws is logged and counted, never passed to the publisher.
     * @return a handle that stops the deliveries
     */
    Subscription listen(Consumer<RecordedCommit> listener);
}
