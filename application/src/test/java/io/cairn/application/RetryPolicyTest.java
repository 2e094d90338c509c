package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(2), Duration.ofMillis(10));

    @Test
    void the_first_attempt_and_the_first_retry_do_not_wait() {
        assertThat(policy.delayNanosBefore(1)).isZero();
        assertThat(policy.delayNanosBefore(2)).isZero();
    }

    @Test
    void later_retries_wait_a_random_time_under_a_ceiling_that_doubles_up_to_the_maximum() {
        assertThat(draws(3).getMax()).isLessThanOrEqualTo(millis(2));
        assertThat(draws(4).getMax()).isLessThanOrEqualTo(millis(4)).isGreaterThan(millis(2));
        assertThat(draws(5).getMax()).isLessThanOrEqualTo(millis(8)).isGreaterThan(millis(4));
        assertThat(draws(6).getMax()).isLessThanOrEqualTo(millis(10)).isGreaterThan(millis(8));
        assertThat(draws(60).getMax()).isLessThanOrEqualTo(millis(10));
    }

    @Test
    void the_wait_is_jittered_not_fixed() {
        LongSummaryStatistics waits = draws(5);

        assertThat(waits.getMin()).isGreaterThanOrEqualTo(0).isLessThan(millis(2));
        assertThat(waits.getMax()).isGreaterThan(millis(6));
    }

    @Test
    void zero_delays_never_wait() {
        RetryPolicy eager = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);

        assertThat(LongStream.rangeClosed(1, 30).map(n -> eager.delayNanosBefore((int) n)).max()).hasValue(0);
    }

    @Test
    void nonsense_settings_are_refused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private LongSummaryStatistics draws(int attempt) {
        return LongStream.range(0, 2_000).map(i -> policy.delayNanosBefore(attempt)).summaryStatistics();
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
