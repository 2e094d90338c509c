package io.cairn.application.port;

import io.cairn.domain.RecordedCommit;
import java.util.function.Consumer;

/**
 * The fast, in-process channel: commits published right after their append was acknowledged. A hint, not the
 * truth: a message may be dropped (a full buffer, a crash), and the {@link DurableChannel} brings it later.
 */
public interface FastChannel {

    /**
     * Hands a just-stored commit to the listeners. Never blocks and never throws: when a listener's buffer is
     * full the commit is dropped for that listener and counted.
     *
     * @param commit not null
     */
    void publish(RecordedCommit commit);

    /**
     * @param listener called on a thread of the channel's own, one commit at a time, in publish order
     * @return a handle that stops the deliveries
     */
    Subscription listen(Consumer<RecordedCommit> listener);
}
