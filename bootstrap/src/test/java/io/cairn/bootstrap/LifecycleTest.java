package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.Service;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void services_start_in_order_and_stop_in_reverse_order() throws Exception {
        Lifecycle lifecycle = new Lifecycle(List.of(service("store"), service("projector"), service("http")));

        lifecycle.start();
        lifecycle.stop();

        assertThat(events).containsExactly("start store", "start projector", "start http",
                "stop http", "stop projector", "stop store");
    }

    @Test
    void a_service_that_fails_to_start_stops_the_ones_already_started_and_nothing_else() {
        Lifecycle lifecycle = new Lifecycle(List.of(service("store"), failing("projector"), service("http")));

        assertThatThrownBy(lifecycle::start).hasMessageContaining("projector");

        assertThat(events).containsExactly("start store", "stop store");
    }

    @Test
    void stopping_twice_stops_once_and_a_failing_stop_does_not_keep_the_others_running() throws Exception {
        Service brokenStop = new Service() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void start() {
                events.add("start broken");
            }

            @Override
            public void stop() {
                events.add("stop broken");
                throw new IllegalStateException("cannot stop");
            }
        };
        Lifecycle lifecycle = new Lifecycle(List.of(service("store"), brokenStop, service("http")));
        lifecycle.start();

        lifecycle.stop();
        lifecycle.stop();

        assertThat(events).containsExactly("start store", "start broken", "start http",
                "stop http", "stop broken", "stop store");
    }

    private Service service(String name) {
        return service(name, true);
    }

    private Service failing(String name) {
        return service(name, false);
    }

    private Service service(String name, boolean starts) {
        return new Service() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                if (!starts) {
                    throw new IllegalStateException(name + " cannot start");
                }
                events.add("start " + name);
            }

            @Override
            public void stop() {
                events.add("stop " + name);
            }
        };
    }
}
