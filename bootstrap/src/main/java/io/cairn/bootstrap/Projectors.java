package io.cairn.bootstrap;

import io.cairn.application.Service;
import io.cairn.application.SharedDurableChannel;
import io.cairn.application.projection.Projection;
import io.cairn.disruptor.DisruptorProjector;
import java.util.ArrayList;
import java.util.List;

/**
 * Every projector of the running Cairn, one service: started in order, stopped in reverse. A projector that fails
 * to start stops those already started, and the failure is rethrown. Once all have subscribed, the durable channel
 * they share is opened: it reads the store once for all of them.
 */
final class Projectors implements Service {

    private final List<DisruptorProjector> projectors;
    private final SharedDurableChannel durable;
    private final List<DisruptorProjector> started = new ArrayList<>();

    Projectors(List<DisruptorProjector> projectors, SharedDurableChannel durable) {
        this.projectors = List.copyOf(projectors);
        this.durable = durable;
    }

    List<DisruptorProjector> all() {
        return projectors;
    }

    @Override
    public String name() {
        return "projectors";
    }

    @Override
    public synchronized void start() {
        for (DisruptorProjector projector : projectors) {
            try {
                projector.start();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            started.add(projector);
        }
        try {
            durable.open();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Runs {@code projection}'s projector anew once {@code beforeStart} has run: its ring is drained and stopped
     * (a stopped projection stores nothing more), {@code beforeStart} runs with no projector running it, then a new
     * ring starts from the checkpoint saved, on a durable subscription of its own (the shared one has moved on).
     * Serialised with {@link #start} and {@link #stop}.
     *
     * @return false when these projectors do not run (not started, or stopped): nothing was done
     * @throws IllegalArgumentException when no projector here runs {@code projection}
     * @throws RuntimeException         when the projector cannot start again (e.g. the store is down): it is then
     *                                  not running, and a later call may start it
     */
    synchronized boolean restart(Projection<?, ?> projection, Runnable beforeStart) {
        DisruptorProjector projector = null;
        for (DisruptorProjector candidate : projectors) {
            if (candidate.projection() == projection) {
                projector = candidate;
            }
        }
        if (projector == null) {
            throw new IllegalArgumentException("no projector runs projection " + projection.name());
        }
        if (!started.contains(projector)) {
            return false;
        }
        projector.stop();
        beforeStart.run();
        projector.start();
        // a subscriber that joins once every other has left waits for an open: it starts at once otherwise
        durable.open();
        return true;
    }

    @Override
    public synchronized void stop() {
        RuntimeException failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
