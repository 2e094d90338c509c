package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Both channels that feed a projector: the store's durable catch-up channel (the truth) and the in-process fast
 * channel (a hint). The durable half depends on the store (polling, DynamoDB Streams, the in-memory log); the fast
 * half is the same for every store, so the two are usually built apart and joined with {@link #of}.
 */
public interface NotificationChannel extends DurableChannel, FastChannel {

    /** The two channels as one. */
    static NotificationChannel of(DurableChannel durable, FastChannel fast) {
        requireNonNull(durable, "durable must not be null");
        requireNonNull(fast, "fast must not be null");
        return new NotificationChannel() {
            @Override
            public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
                return durable.subscribe(after, listener);
            }

            @Override
            public void publish(RecordedCommit commit) {
                fast.publish(commit);
            }

            @Override
            public Subscription listen(Consumer<RecordedCommit> listener) {
                return fast.listen(listener);
            }
        };
    }
}
