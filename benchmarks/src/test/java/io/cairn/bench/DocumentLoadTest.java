package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.bench.LagStores.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The document projections' harness on the in-memory stores: every commit is stored by each projection that follows it. */
class DocumentLoadTest {

    private static final DocumentLoad.Settings SETTINGS = new DocumentLoad.Settings(2, 20, 12, 2,
            Duration.ofMillis(200), Duration.ofSeconds(10));

    @Test
    void measures_ack_to_stored_for_every_document_projection() throws Exception {
        Domains domains = Domains.load();
        DocumentLoad benchmark = new DocumentLoad(SETTINGS, domains, line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            DocumentLoad.Run merged = benchmark.run(server, Mode.MERGED, 200, Duration.ofSeconds(1));
            DocumentLoad.Run durable = benchmark.run(server, Mode.POLL_100MS, 200, Duration.ofSeconds(1));

            for (DocumentLoad.Run run : List.of(merged, durable)) {
                assertThat(run.failed()).isZero();
                assertThat(run.rejected()).isZero();
                assertThat(run.projections()).extracting(DocumentLoad.ProjectionRow::name)
                        .containsExactlyInAnyOrder("owners", "orders", "warehouses");
                for (DocumentLoad.ProjectionRow row : run.projections()) {
                    assertThat(row.missing()).isZero();
                    assertThat(row.measured()).isPositive();
                    assertThat(row.storedMicros().getTotalCount()).isEqualTo(row.measured());
                    assertThat(row.reportedWriteUnits()).isEmpty();
                }
            }
            String table = DocumentLoad.table(List.of(), List.of(merged), "at 200 commands/s", SETTINGS,
                    Duration.ofSeconds(1), domains);
            assertThat(table).contains("| memory | merged | 200 |").doesNotContain("WCU");
        }
    }

    @Test
    void capacity_counts_commands_with_and_without_document_projections() throws Exception {
        DocumentLoad benchmark = new DocumentLoad(SETTINGS, Domains.load(), line -> { });
        try (LagStores.Server server = LagStores.memory()) {
            for (boolean documents : new boolean[] {false, true}) {
                DocumentLoad.Capacity capacity = benchmark.capacity(server, documents, 1, Duration.ofMillis(100),
                        Duration.ofMillis(500));
                assertThat(capacity.commands()).isPositive();
                assertThat(capacity.documents()).isEqualTo(documents);
            }
        }
    }
}
