package io.cairn.bench;

import io.cairn.application.AggregateQueries;
import io.cairn.application.AggregateQueries.Consistency;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountCommand.Deposit;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * What one command costs against the length of its stream, for four ways of loading the state it decides on (the
 * snapshot article's claim): replaying the whole stream, the snapshot item plus the commits after it, the view read
 * from its table (cold cache), the view from the in-process cache (warm). Commands run one at a time, each a deposit
 * on a seeded account; latency is measured around {@link CommandHandler#handle}, capacity units are those the
 * store charged to {@link Purpose#COMMAND} meanwhile.
 *
 * <p>Keeping the views current is not part of a command: after each one the harness brings the view up to date
 * as the projector would (its cost is charged to {@link Purpose#PROJECTION}, not measured). Each stream length is
 * seeded on enough streams that the commands of all four strategies together lengthen no stream by more than
 * {@code 4 * commands / streams} commits (at most 4% at 10 000).
 */
final class CommandCost {

    enum Strategy {
        FULL_REPLAY("full replay"),
        SNAPSHOT_ITEM("snapshot item"),
        VIEW_COLD("view, cold cache"),
        VIEW_WARM("view, warm cache");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    /** One cell of the table: a strategy at a stream length. */
    record Cell(Strategy strategy, int length, int commands, Histogram latencyMicros, OptionalDouble readUnits,
                OptionalDouble writeUnits) {

        double p50Millis() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    private static final int SEED_BUDGET = 10_000;
    private static final int WARM_UP_LENGTH = 10;
    private static final int WARM_UP_COMMANDS = 200;
    private static final int SEED_THREADS = 4;

    private final Backend backend;
    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
    private final JacksonStateCodec<AccountState> stateCodec = new JacksonStateCodec<>(AccountState.class, 1);
    private final AggregateQueries<AccountEvent, AccountState> queries;
    private final Consumer<String> progress;

    CommandCost(Backend backend, Consumer<String> progress) {
        this.backend = backend;
        this.progress = progress;
        this.queries = new AggregateQueries<>(accounts, codec, backend.events(), backend.views());
    }

    /**
     * @param lengths      the stream lengths to measure, in commits
     * @param commands     commands per cell
     * @param maxPerCell   a cell stops early when it has run this long (full replay of long streams is slow)
     */
    List<Cell> run(List<Integer> lengths, int commands, Duration maxPerCell) throws Exception {
        progress.accept("warming up");
        List<StreamId> warmUp = seed(4, WARM_UP_LENGTH);
        for (Strategy strategy : Strategy.values()) {
            measure(strategy, WARM_UP_LENGTH, warmUp, WARM_UP_COMMANDS, maxPerCell);
        }
        List<Cell> cells = new ArrayList<>();
        for (int length : lengths) {
            int streamCount = Math.max(1, Math.min(Strategy.values().length * commands, SEED_BUDGET / length));
            progress.accept("seeding " + streamCount + " stream(s) of " + length + " commits");
            List<StreamId> streams = seed(streamCount, length);
            for (Strategy strategy : Strategy.values()) {
                progress.accept(strategy.label + " at " + length + " commits");
                cells.add(measure(strategy, length, streams, commands, maxPerCell));
            }
        }
        return cells;
    }

    private Cell measure(Strategy strategy, int length, List<StreamId> streams, int commands, Duration maxPerCell) {
        ViewStore<AccountState> views = switch (strategy) {
            case FULL_REPLAY, SNAPSHOT_ITEM -> new NoViews();
            case VIEW_COLD -> backend.views();
            case VIEW_WARM -> CachingViewStore.over(backend.views(), streams.size() + 16);
        };
        ExecutorService snapshotWriter = Executors.newSingleThreadExecutor();
        try {
            CommandHandler.Builder<AccountCommand, AccountEvent, AccountState> builder =
                    CommandHandler.builder(accounts, codec, backend.events())
                            .views(views)
                            .fastChannel(new InProcessFastChannel());
            if (strategy == Strategy.SNAPSHOT_ITEM) {
                builder.snapshots(backend.snapshots(), stateCodec, snapshotWriter);
            }
            CommandHandler<AccountCommand, AccountEvent, AccountState> handler = builder.build();
            for (StreamId stream : streams) {
                prepare(strategy, stream, views);
            }

            Histogram latency = new Histogram(3_600_000_000L, 3);
            double reads0 = backend.readUnits().consumed(Purpose.COMMAND).orElse(0);
            double writes0 = backend.writeUnits().consumed(Purpose.COMMAND).orElse(0);
            long deadline = System.nanoTime() + maxPerCell.toNanos();
            int done = 0;
            while (done < commands && (done == 0 || System.nanoTime() < deadline)) {
                StreamId stream = streams.get(done % streams.size());
                long start = System.nanoTime();
                handler.handle(stream.value().substring(Accounts.CATEGORY.length() + 1), UUID.randomUUID(),
                        new Deposit(1));
                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                done++;
                if (strategy == Strategy.VIEW_COLD || strategy == Strategy.VIEW_WARM) {
                    catchUpView(stream, views);
                }
            }
            int measured = done;
            OptionalDouble reads = perCommand(backend.readUnits().consumed(Purpose.COMMAND), reads0, measured);
            OptionalDouble writes = perCommand(backend.writeUnits().consumed(Purpose.COMMAND), writes0, measured);
            return new Cell(strategy, length, measured, latency, reads, writes);
        } finally {
            snapshotWriter.shutdown();
        }
    }

    private static OptionalDouble perCommand(OptionalDouble total, double before, int commands) {
        return total.isPresent() ? OptionalDouble.of((total.getAsDouble() - before) / commands) : OptionalDouble.empty();
    }

    /** Puts what the strategy loads in place, at the stream's head, outside the measurement. */
    private void prepare(Strategy strategy, StreamId stream, ViewStore<AccountState> views) {
        switch (strategy) {
            case FULL_REPLAY -> { }
            case SNAPSHOT_ITEM -> {
                try (Purpose.Scope ignored = Purpose.SNAPSHOT.enter()) {
                    backend.snapshots().save(head(stream));
                }
            }
            case VIEW_COLD, VIEW_WARM -> {
                catchUpView(stream, views);
                views.get(stream); // a warm cache holds it from here on; a cold one reads the table every time
            }
        }
    }

    /** What the projector does after a commit: the view moves to the stream's head. */
    private void catchUpView(StreamId stream, ViewStore<AccountState> views) {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            long current = backend.views().get(stream).map(Snapshot::revision).orElse(0L);
            Snapshot<AccountState> head = head(stream);
            if (head.revision() > current && !views.put(head, current)) {
                throw new IllegalStateException("view of " + stream + " moved under the benchmark");
            }
        }
    }

    private Snapshot<AccountState> head(StreamId stream) {
        String id = stream.value().substring(Accounts.CATEGORY.length() + 1);
        return queries.find(id, Consistency.STRONG).orElseThrow();
    }

    /** Streams of {@code length} commits: an opening, then deposits, appended as the command handler would. */
    private List<StreamId> seed(int count, int length) throws InterruptedException, ExecutionException {
        ExecutorService seeders = Executors.newFixedThreadPool(SEED_THREADS);
        try {
            List<Future<StreamId>> seeded = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                seeded.add(seeders.submit(() -> seedOne(length)));
            }
            List<StreamId> streams = new ArrayList<>();
            for (Future<StreamId> stream : seeded) {
                streams.add(stream.get());
            }
            return streams;
        } finally {
            seeders.shutdown();
        }
    }

    private StreamId seedOne(int length) {
        StreamId stream = accounts.streamOf("bench-" + length + "-" + UUID.randomUUID());
        try (Purpose.Scope ignored = Purpose.OTHER.enter()) {
            backend.events().append(stream, ExpectedRevision.NO_STREAM,
                    commit(new AccountOpened("bench", "EUR", 0)));
            for (long revision = 1; revision < length; revision++) {
                backend.events().append(stream, ExpectedRevision.exactly(revision), commit(new Deposited(1)));
            }
        }
        return stream;
    }

    private Commit commit(AccountEvent event) {
        EventData data = codec.encode(event);
        return new Commit(UUID.randomUUID(), List.of(data), java.util.Map.of("command", "Seed"));
    }

    /** A view store with nothing in it: what the command handler sees for an aggregate without a projection. */
    private static final class NoViews implements ViewStore<AccountState> {
        @Override
        public java.util.Optional<Snapshot<AccountState>> get(StreamId stream) {
            return java.util.Optional.empty();
        }

        @Override
        public boolean put(Snapshot<AccountState> view, long replacing) {
            throw new UnsupportedOperationException("no views here");
        }

        @Override
        public void deleteAll() {
        }
    }

    /** The cells as a Markdown table. */
    static String table(String backend, List<Cell> cells) {
        StringBuilder out = new StringBuilder();
        out.append("| store | strategy | stream length | commands | p50 ms | p99 ms | read units / command "
                + "| write units / command |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Cell cell : cells) {
            out.append(String.format(java.util.Locale.ROOT, "| %s | %s | %,d | %d | %.2f | %.2f | %s | %s |%n",
                    backend, cell.strategy().label, cell.length(), cell.commands(), cell.p50Millis(),
                    cell.p99Millis(), units(cell.readUnits()), units(cell.writeUnits())));
        }
        return out.toString();
    }

    private static String units(OptionalDouble units) {
        return units.isPresent() ? String.format(java.util.Locale.ROOT, "%.1f", units.getAsDouble()) : "n/a";
    }
}
