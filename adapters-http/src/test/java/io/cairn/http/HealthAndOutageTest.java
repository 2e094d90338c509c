package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.http.TestCairn.Response;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthAndOutageTest {

    private static final Switchable DATABASE = new Switchable("database");
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass(HttpConfig.onPort(0).withHost("127.0.0.1")
            .withHealthCheckTimeout(Duration.ofMillis(300)), Set.of(DATABASE, new Named("event-store")));

    @AfterAll
    static void releaseHangingChecks() {
        NEVER.countDown();
    }

    @AfterEach
    void everythingBackUp() {
        DATABASE.up = true;
        cairn.store.reset();
    }

    @Test
    void health_is_200_when_every_check_answers() {
        Response response = cairn.get("/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode health = response.json();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("checks").path("database").asText()).isEqualTo("UP");
        assertThat(health.path("checks").path("event-store").asText()).isEqualTo("UP");
    }

    @Test
    void health_is_503_naming_the_check_that_does_not_answer() {
        DATABASE.up = false;
        Response response = cairn.get("/health");
        assertThat(response.status()).isEqualTo(503);
        JsonNode health = response.json();
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("checks").path("database").asText()).isEqualTo("DOWN");
        assertThat(health.path("checks").path("event-store").asText()).isEqualTo("UP");
    }

    @Test
    void a_check_that_hangs_is_down_after_the_timeout() {
        try (TestCairn hanging = TestCairn.start(HttpConfig.onPort(0).withHost("127.0.0.1")
                .withHealthCheckTimeout(Duration.ofMillis(200)), Set.of(new Hanging()))) {
            long started = System.nanoTime();
            Response response = hanging.get("/health");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("checks").path("hanging").asText()).isEqualTo("DOWN");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void a_command_during_a_store_outage_is_503_with_retry_after() {
        String id = cairn.anOpenAccount(0);
        cairn.store.goDown();
        Response response = cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}");
        JsonNode problem = assertProblem(response, 503, "store-unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(problem.path("detail").asText()).doesNotContain("connection refused");
    }

    @Test
    void reads_during_a_store_outage_are_503() {
        String id = cairn.anOpenAccount(0);
        cairn.store.goDown();
        assertProblem(cairn.get("/accounts/" + id + "?consistency=strong"), 503, "store-unavailable");
        assertProblem(cairn.get("/streams/account-" + id), 503, "store-unavailable");
        assertProblem(cairn.post("/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1}]}"), 503, "store-unavailable");
    }

    @Test
    void the_api_recovers_by_itself_when_the_store_returns() {
        String id = cairn.anOpenAccount(0);
        cairn.store.goDown();
        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}").status()).isEqualTo(503);
        cairn.store.reset();
        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":1}").status()).isEqualTo(200);
    }

    @Test
    void an_unexpected_failure_is_a_500_problem_that_reveals_nothing() {
        String id = cairn.anOpenAccount(0);
        cairn.store.breakWith(new IllegalStateException("secret internals at 10.0.0.7"));
        Response response = cairn.get("/accounts/" + id + "?consistency=strong");
        JsonNode problem = assertProblem(response, 500, "internal-error");
        assertThat(response.body()).doesNotContain("secret", "IllegalState", "10.0.0.7");
        assertThat(problem.path("errorId").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains(problem.path("errorId").asText());
    }

    private static final class Switchable implements HealthCheck {
        private final String name;
        volatile boolean up = true;

        Switchable(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void check() {
            if (!up) {
                throw new StoreUnavailableException(name + " is down", null);
            }
        }
    }

    private record Named(String name) implements HealthCheck {
        @Override
        public void check() {
        }
    }

    private static final class Hanging implements HealthCheck {
        @Override
        public String name() {
            return "hanging";
        }

        @Override
        public void check() {
            try {
                NEVER.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
