package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The fast channel within one process: {@link #publish} calls every listener on the publishing thread. Listeners
 * hand the commit off without blocking (a projector offers it to its ring and drops it when the ring is full), so a
 * publisher never waits and the commit takes no thread hop of the channel's own.
 */
public final class InProcessFastChannel implements FastChannel {

    private static final System.Logger LOG = System.getLogger(InProcessFastChannel.class.getName());

    private final List<Consumer<RecordedCommit>> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();

    @Override
    public void publish(RecordedCommit commit) {
        requireNonNull(commit, "commit must not be null");
        published.increment();
        for (Consumer<RecordedCommit> listener : listeners) {
            try {
                listener.accept(commit);
            } catch (RuntimeException e) {
                // a hint that failed costs latency only: the durable channel delivers the commit again
                failed.increment();
                LOG.log(Level.WARNING, "fast-channel listener failed; the durable channel will catch up", e);
            }
        }
    }

    @Override
    public Subscription listen(Consumer<RecordedCommit> listener) {
        requireNonNull(listener, "listener must not be null");
        // a wrapper of its own, so that the same consumer listening twice is removed once per subscription
        Consumer<RecordedCommit> registered = listener::accept;
        listeners.add(registered);
        return () -> listeners.remove(registered);
    }

    /** Commits handed to {@link #publish}. */
    public long published() {
        return published.sum();
    }

    /** Deliveries whose listener threw. */
    public long failed() {
        return failed.sum();
    }
}
