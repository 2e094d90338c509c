package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.accounts.AccountsDomain;
import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.bench.LagStores.Mode;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lag harness on the in-memory stores: every command is measured, none goes missing. No timing is asserted. */
class LagTest {

    private static final Lag.Settings SETTINGS = new Lag.Settings(2, 20, Duration.ofMillis(200), Duration.ofSeconds(10));

    @Test
    void measures_every_acknowledged_command_to_visible_and_to_stored() throws Exception {
        Lag lag = new Lag(SETTINGS, Domains.load(), line -> { });
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
                    Duration.ofSeconds(1), Domains.load());
            assertThat(table).contains("| memory | merged | 200 |").contains("| memory | durable only (blocking reads) |")
                    .contains("Domains loaded: accounts [account]");
        }
    }

    @Test
    void measures_the_aggregate_view_beside_every_document_projection() throws Exception {
        Domains domains = Domains.load();
        Lag lag = new Lag(SETTINGS, domains, line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            Lag.Row merged = lag.run(server, Mode.MERGED, 200, Duration.ofSeconds(1), true);

            assertThat(merged.missing()).isZero();
            assertThat(merged.failed()).isZero();
            assertThat(merged.measured()).isPositive();
            assertThat(merged.description()).isEqualTo("merged; document projections: "
                    + domains.describeProjections());
        }
    }

    @Test
    void finds_the_accounts_domain_by_service_loader() {
        Domains domains = Domains.load();

        assertThat(domains.all()).contains(AccountsDomain.ACCOUNTS);
        assertThat(domains.describe()).contains("accounts [account]");
        assertThat(domains.others()).doesNotContain(AccountsDomain.ACCOUNTS);
    }

    @Test
    void runs_beside_the_projectors_of_other_domains_aggregates() throws Exception {
        Domains domains = new Domains(List.of(
                new Domains.Loaded("accounts", List.of(AccountsDomain.ACCOUNTS), List.of()),
                new Domains.Loaded("counting", List.of(COUNTERS), List.of())));
        Lag lag = new Lag(SETTINGS, domains, line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            Lag.Row merged = lag.run(server, Mode.MERGED, 200, Duration.ofSeconds(1));
            Lag.Row durable = lag.run(server, Mode.POLL_100MS, 200, Duration.ofSeconds(1));

            for (Lag.Row row : List.of(merged, durable)) {
                assertThat(row.missing()).isZero();
                assertThat(row.failed()).isZero();
                assertThat(row.measured()).isPositive();
            }
            assertThat(domains.describe()).isEqualTo("accounts [account], counting [counter]");
            assertThat(Lag.table(List.of(), List.of(merged), "at 200 commands/s", SETTINGS, Duration.ofSeconds(1),
                    domains)).contains("Domains loaded: accounts [account], counting [counter]")
                    .contains("accounts-view (driven), counters-view");
        }
    }

    /** A second domain's aggregate, for the test: counts. */
    private static final AggregateType<Count, Counted, Counter> COUNTERS = AggregateType.builder(new Counting())
            .collection("counters")
            .command("count", CommandReader.json(Count.class))
            .events(Counted.class)
            .state(Counter.class, 1)
            .build();

    record Count() {
    }

    sealed interface Counted permits Counted.Once {
        record Once() implements Counted {
        }
    }

    record Counter(long count) {
    }

    private static final class Counting implements Aggregate<Count, Counted, Counter> {
        @Override
        public String category() {
            return "counter";
        }

        @Override
        public Counter initialState() {
            return new Counter(0);
        }

        @Override
        public Decision<Counted> decide(Count command, Counter state) {
            return Decision.accept(new Counted.Once());
        }

        @Override
        public Counter evolve(Counter state, Counted event) {
            return new Counter(state.count() + 1);
        }
    }

    @Test
    void capacity_counts_commands() throws Exception {
        Lag lag = new Lag(SETTINGS, Domains.load(), line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            Lag.Capacity capacity = lag.capacity(server, Duration.ofMillis(100), Duration.ofMillis(500));
            assertThat(capacity.commands()).isPositive();
            assertThat(capacity.perSecond()).isPositive();
        }
    }
}
