package io.cairn.bootstrap;

import io.cairn.application.Service;
import io.cairn.application.SharedDurableChannel;
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
