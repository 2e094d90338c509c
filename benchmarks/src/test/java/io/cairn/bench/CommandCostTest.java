package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StreamSlice;
import io.cairn.bench.CommandCost.Cell;
import io.cairn.bench.CommandCost.Strategy;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Test;

/**
 * The harness on in-memory stores that charge one "read unit" per commit read and one "write unit" per append:
 * every cell runs its commands, and each strategy costs what it should.
 */
class CommandCostTest {

    @Test
    void each_strategy_reads_what_it_should_per_command() throws Exception {
        try (Backend backend = charging()) {
            List<Cell> cells = new CommandCost(backend, line -> { }).run(List.of(40), 5, Duration.ofSeconds(10));

            assertThat(cells).extracting(Cell::strategy).containsExactly(Strategy.values());
            assertThat(cells).allSatisfy(cell -> {
                assertThat(cell.commands()).isEqualTo(5);
                assertThat(cell.latencyMicros().getTotalCount()).isEqualTo(5);
                assertThat(cell.writeUnits()).hasValue(1.0);
            });
            assertThat(readsOf(cells, Strategy.FULL_REPLAY)).as("the whole stream, every time").isGreaterThanOrEqualTo(40);
            assertThat(readsOf(cells, Strategy.SNAPSHOT_ITEM)).as("only commits after the snapshot").isLessThan(5);
            assertThat(readsOf(cells, Strategy.VIEW_COLD)).as("no event reads").isZero();
            assertThat(readsOf(cells, Strategy.VIEW_WARM)).as("no event reads").isZero();
            assertThat(CommandCost.table("memory", cells)).contains("| memory | view, warm cache | 40 | 5 |");
        }
    }

    private static double readsOf(List<Cell> cells, Strategy strategy) {
        return cells.stream().filter(c -> c.strategy() == strategy).findFirst().orElseThrow().readUnits().orElseThrow();
    }

    /** Memory stores whose event store charges one unit per commit read and per append, by purpose. */
    private static Backend charging() {
        Map<Purpose, DoubleAdder> reads = new EnumMap<>(Purpose.class);
        Map<Purpose, DoubleAdder> writes = new EnumMap<>(Purpose.class);
        for (Purpose purpose : Purpose.values()) {
            reads.put(purpose, new DoubleAdder());
            writes.put(purpose, new DoubleAdder());
        }
        InMemoryEventStore memory = new InMemoryEventStore();
        EventStore events = new EventStore() {
            @Override
            public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
                writes.get(Purpose.current()).add(1);
                return memory.append(stream, expected, commit);
            }

            @Override
            public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
                StreamSlice slice = memory.read(stream, fromRevision, maxCommits);
                reads.get(Purpose.current()).add(slice.commits().size());
                return slice;
            }

            @Override
            public long revision(StreamId stream) {
                return memory.revision(stream);
            }
        };
        return new Backend("memory", events, new InMemorySnapshotStore<>(), new InMemoryViewStore<>(),
                purpose -> OptionalDouble.of(reads.get(purpose).sum()),
                purpose -> OptionalDouble.of(writes.get(purpose).sum()), () -> { });
    }
}
