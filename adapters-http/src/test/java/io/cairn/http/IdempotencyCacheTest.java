package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdempotencyCacheTest {

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void an_answer_is_forgotten_after_its_time_to_live() throws InterruptedException {
        IdempotencyCache cache = new IdempotencyCache(100, Duration.ofMillis(50));
        UUID key = UUID.randomUUID();
        cache.execute(key, "POST /a h", () -> reply(422));
        Thread.sleep(120);
        cache.execute(key, "POST /a h", () -> reply(200));
        assertThat(runs).hasValue(2);
    }

    @Test
    void a_retryable_answer_is_not_remembered() {
        IdempotencyCache cache = new IdempotencyCache(100, Duration.ofHours(1));
        UUID key = UUID.randomUUID();
        cache.execute(key, "f", () -> new Reply(503, Reply.PROBLEM_JSON, new byte[0], Map.of(), true));
        Reply second = cache.execute(key, "f", () -> reply(200));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.headers()).doesNotContainKey(IdempotencyCache.REPLAYED_HEADER);
    }

    @Test
    void a_failing_request_releases_its_key() {
        IdempotencyCache cache = new IdempotencyCache(100, Duration.ofHours(1));
        UUID key = UUID.randomUUID();
        assertThatThrownBy(() -> cache.execute(key, "f", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cache.execute(key, "f", () -> reply(200)).status()).isEqualTo(200);
    }

    @Test
    void a_key_reused_while_its_first_request_runs_is_refused_without_running() {
        IdempotencyCache cache = new IdempotencyCache(100, Duration.ofHours(1));
        UUID key = UUID.randomUUID();
        cache.execute(key, "f", () -> {
            assertThatThrownBy(() -> cache.execute(key, "f", () -> reply(200)))
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.problem().slug()).isEqualTo("request-in-progress"));
            assertThatThrownBy(() -> cache.execute(key, "g", () -> reply(200)))
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.problem().slug()).isEqualTo("idempotency-key-reused"));
            return reply(200);
        });
        assertThat(runs).hasValue(1);
    }

    private Reply reply(int status) {
        runs.incrementAndGet();
        return new Reply(status, Reply.JSON, ("{\"n\":" + runs.get() + "}").getBytes(StandardCharsets.UTF_8),
                Map.of(), false);
    }
}
