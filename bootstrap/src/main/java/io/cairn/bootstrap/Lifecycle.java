package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Service;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in order and stops the started ones in reverse order. A service that fails to start stops the
 * ones already started, so a failed start-up leaves nothing running. Stopping is idempotent.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final List<Service> services;
    private final Deque<Service> started = new ArrayDeque<>();

    Lifecycle(List<Service> services) {
        this.services = List.copyOf(requireNonNull(services, "services must not be null"));
    }

    synchronized void start() throws Exception {
        for (Service service : services) {
            try {
                service.start();
                started.push(service);
                LOG.info("started {}", service.name());
            } catch (Exception e) {
                LOG.error("{} failed to start; stopping what was started", service.name(), e);
                stop();
                throw e;
            }
        }
    }

    synchronized void stop() {
        while (!started.isEmpty()) {
            Service service = started.pop();
            try {
                service.stop();
                LOG.info("stopped {}", service.name());
            } catch (RuntimeException e) {
                LOG.warn("{} did not stop cleanly", service.name(), e);
            }
        }
    }
}
