package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.bench.LagStores.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag harness on the in-memory stores: every command is measured, none goes missing. No timing is asserted. */
class LagTest {

    private static final Lag.Settings SETTINGS = new Lag.Settings(2, 20, Duration.ofMillis(200), Duration.ofSeconds(10));

    @Test
    void measures_every_acknowledged_command_to_visible_and_to_stored() throws Exception {
        Lag lag = new Lag(SETTINGS, line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            Lag.Row merged = lag.run(server, Mode.MERGED, 200, Duration.ofSeconds(1));
            Lag.Row durable = lag.run(server, Mode.POLL_100MS, 200, Duration.ofSeconds(1));

            for (Lag.Row row : List.of(merged, durable)) {
                assertThat(row.missing()).isZero();
                assertThat(row.failed()).isZero();
                assertThat(row.measured()).isPositive();
                assertThat(row.visibleMicros().getTotalCount()).isEqualTo(row.measured());
                assertThat(row.storedMicros().getTotalCount()).isEqualTo(row.measured());
                assertThat(row.achievedPerSecond()).isPositive();
            }
            assertThat(merged.description()).isEqualTo("merged");
            String table = Lag.table(List.of(), List.of(merged, durable), "at 200 commands/s", SETTINGS,
                    Duration.ofSeconds(1));
            assertThat(table).contains("| memory | merged | 200 |").contains("| memory | durable only (blocking reads) |");
        }
    }

    @Test
    void capacity_counts_commands() throws Exception {
        Lag lag = new Lag(SETTINGS, line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            Lag.Capacity capacity = lag.capacity(server, Duration.ofMillis(100), Duration.ofMillis(500));
            assertThat(capacity.commands()).isPositive();
            assertThat(capacity.perSecond()).isPositive();
        }
    }
}
