package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StateCodec;
import io.cairn.accounts.AccountState;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.dynamodb.DynamoDbStores;
import io.cairn.dynamodb.local.EmbeddedDynamoDb;
import io.cairn.json.JacksonStateCodec;
import io.cairn.postgres.PostgresSettings;
import io.cairn.postgres.PostgresStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stores the lag benchmark runs on: one server per store for the whole benchmark, and for every run stores of
 * their own on it (fresh tables, a fresh schema), so that runs never see each other's commits, views or
 * checkpoints.
 */
final class LagStores {

    /** How account states are stored in views, as the service stores them. */
    static final StateCodec<AccountState> STATE_CODEC = new JacksonStateCodec<>(AccountState.class, 1);
    /** The accounts' view's name: the aggregate's collection, as the service names every aggregate's views. */
    static final String VIEW_NAME = "accounts";
    /** Commits a PostgreSQL poller reads per query, as the service's default. */
    static final int POLL_BATCH_SIZE = 500;

    private LagStores() {
    }

    /** How the projector is fed in one run. */
    enum Mode {
        /** The durable channel only, polled every 100 ms (PostgreSQL: also woken by NOTIFY). */
        POLL_100MS(false, Duration.ofMillis(100), true),
        /** The durable channel only, polled every second (PostgreSQL: also woken by NOTIFY). */
        POLL_1S(false, Duration.ofSeconds(1), true),
        /** PostgreSQL only: pure polling every 100 ms, no NOTIFY wake-ups (the harness's poller of the global log). */
        PURE_POLL_100MS(false, Duration.ofMillis(100), false),
        /** PostgreSQL only: pure polling every second, no NOTIFY wake-ups. */
        PURE_POLL_1S(false, Duration.ofSeconds(1), false),
        /** The fast channel merged with the durable channel polled every 100 ms: the service's default. */
        MERGED(true, Duration.ofMillis(100), true);

        final boolean fast;
        final Duration pollInterval;
        final boolean wakeUps;

        Mode(boolean fast, Duration pollInterval, boolean wakeUps) {
            this.fast = fast;
            this.pollInterval = pollInterval;
            this.wakeUps = wakeUps;
        }
    }

    /**
     * The stores of one run.
     *
     * @param checkpoints where the projection keeps its checkpoint (PostgreSQL: the view store's own, so that views
     *                    and checkpoint are written in one transaction)
     * @param log         the global order, where the store has one
     * @param durable     the durable channel, polling at the run's interval
     * @param viewStores  further views on the run's stores (another aggregate's, by its collection), whose
     *                    projections keep their checkpoints in {@code checkpoints} too, as in the service
     * @param documentStores the document projections' stores on the run's store
     */
    record Run(EventStore events, ViewStore<AccountState> views, CheckpointStore checkpoints,
               Optional<GlobalLog> log, DurableChannel durable, ViewStores viewStores,
               DocumentStores documentStores, AutoCloseable closer)
            implements AutoCloseable {

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** Opens the views named {@code name} on a run's stores, stored with {@code codec}. */
    @FunctionalInterface
    interface ViewStores {
        <S> ViewStore<S> open(String name, StateCodec<S> codec);
    }

    /**
     * Opens a document projection's documents, states and checkpoint on a run's store. On DynamoDB each
     * projection's store is opened on tables of its own (a table prefix per projection), so that the capacity
     * DynamoDB reports is counted per projection; the items and the one transaction per write are the service's.
     */
    interface DocumentStores {

        /** The store of {@code projection}'s documents, with its per-stream states encoded by {@code codec}. */
        <S> DocumentStore<S> open(String projection, StateCodec<S> codec);

        /** Write units DynamoDB reported so far for {@code projection}'s store; empty where nothing is charged. */
        OptionalDouble writeUnits(String projection);

        /** Read units DynamoDB reported so far for {@code projection}'s store; empty where nothing is charged. */
        OptionalDouble readUnits(String projection);

        /** Whether the store charges capacity units (DynamoDB). */
        boolean charged();
    }

    /** Document stores that charge nothing: PostgreSQL's, memory's. */
    private record Uncharged(Opener opener) implements DocumentStores {

        @FunctionalInterface
        interface Opener {
            <S> DocumentStore<S> open(String projection, StateCodec<S> codec);
        }

        @Override
        public <S> DocumentStore<S> open(String projection, StateCodec<S> codec) {
            return opener.open(projection, codec);
        }

        @Override
        public OptionalDouble writeUnits(String projection) {
            return OptionalDouble.empty();
        }

        @Override
        public OptionalDouble readUnits(String projection) {
            return OptionalDouble.empty();
        }

        @Override
        public boolean charged() {
            return false;
        }
    }

    /** DynamoDB document stores, each on stores of its own (own tables, own capacity count) on the same server. */
    private static final class OwnTables implements DocumentStores, AutoCloseable {
        private final DynamoDbSettings settings;
        private final Map<String, DynamoDbStores> byProjection = new ConcurrentHashMap<>();

        OwnTables(DynamoDbSettings settings) {
            this.settings = settings;
        }

        @Override
        public <S> DocumentStore<S> open(String projection, StateCodec<S> codec) {
            DynamoDbStores stores = byProjection.computeIfAbsent(projection, name -> DynamoDbStores.open(
                    settings.withTablePrefix(settings.tablePrefix() + name + "-"), Optional.empty()));
            return stores.documentStore(projection, codec);
        }

        @Override
        public OptionalDouble writeUnits(String projection) {
            DynamoDbStores stores = byProjection.get(projection);
            return stores == null ? OptionalDouble.empty() : OptionalDouble.of(total(stores, true));
        }

        @Override
        public OptionalDouble readUnits(String projection) {
            DynamoDbStores stores = byProjection.get(projection);
            return stores == null ? OptionalDouble.empty() : OptionalDouble.of(total(stores, false));
        }

        @Override
        public boolean charged() {
            return true;
        }

        private static double total(DynamoDbStores stores, boolean writes) {
            double units = 0;
            for (Purpose purpose : Purpose.values()) {
                units += writes ? stores.consumedCapacity().writeUnits(purpose)
                        : stores.consumedCapacity().readUnits(purpose);
            }
            return units;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (DynamoDbStores stores : new ArrayList<>(byProjection.values())) {
                try {
                    stores.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A server of one store. */
    interface Server extends AutoCloseable {

        String name();

        boolean supports(Mode mode);

        /** What {@code mode} means on this store, for the table. */
        String describe(Mode mode);

        /** Stores of their own for one run in {@code mode}. */
        Run open(Mode mode);

        @Override
        void close();
    }

    /** The in-memory stores: for the harness's own test. The durable channel waits on the log; it does not poll. */
    static Server memory() {
        return new Server() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public boolean supports(Mode mode) {
                return mode == Mode.POLL_100MS || mode == Mode.MERGED;
            }

            @Override
            public String describe(Mode mode) {
                return mode.fast ? "merged" : "durable only (blocking reads)";
            }

            @Override
            public Run open(Mode mode) {
                InMemoryEventStore events = new InMemoryEventStore();
                InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
                Uncharged documents = new Uncharged(new Uncharged.Opener() {
                    @Override
                    public <S> DocumentStore<S> open(String projection, StateCodec<S> codec) {
                        return new InMemoryDocumentStore<>(projection, checkpoints);
                    }
                });
                return new Run(events, new InMemoryViewStore<>(), checkpoints, Optional.of(events),
                        new InMemoryDurableChannel(events), LagStores::memoryViews, documents, () -> { });
            }

            @Override
            public void close() {
            }
        };
    }

    /** Cairn's DynamoDB stores on one embedded, in-memory DynamoDB Local; tables with a fresh prefix per run. */
    static Server dynamoDb() {
        return dynamoDb(false);
    }

    /**
     * Cairn's DynamoDB stores on an embedded, in-memory DynamoDB Local; tables with a fresh prefix per run and, with
     * {@code serverPerRun}, a DynamoDB Local of their own per run, stopped with it. One server for every run keeps
     * every earlier run's tables (and their streams) in its memory; a later run on it can measure slower for that
     * alone.
     */
    static Server dynamoDb(boolean serverPerRun) {
        EmbeddedDynamoDb shared = serverPerRun ? null : EmbeddedDynamoDb.inMemory();
        AtomicInteger runs = new AtomicInteger();
        return new Server() {
            @Override
            public String name() {
                return "DynamoDB Local";
            }

            @Override
            public boolean supports(Mode mode) {
                return mode.wakeUps; // DynamoDB Streams is polled; there is nothing to turn off
            }

            @Override
            public String describe(Mode mode) {
                return mode.fast ? "merged: fast + Streams polled every " + millis(mode.pollInterval)
                        : "Streams polled every " + millis(mode.pollInterval);
            }

            @Override
            public Run open(Mode mode) {
                String prefix = "lag-" + runs.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "-";
                EmbeddedDynamoDb server = serverPerRun ? EmbeddedDynamoDb.inMemory() : shared;
                DynamoDbSettings settings = DynamoDbSettings.local(server.endpoint())
                        .withTablePrefix(prefix)
                        .withStreamsPollInterval(mode.pollInterval);
                DynamoDbStores stores;
                try {
                    stores = DynamoDbStores.open(settings, Optional.empty());
                } catch (RuntimeException e) {
                    if (serverPerRun) {
                        server.close();
                    }
                    throw e;
                }
                OwnTables documents = new OwnTables(settings);
                return new Run(stores.eventStore(), stores.viewStore(VIEW_NAME, STATE_CODEC), stores.checkpointStore(),
                        Optional.empty(), stores.durableChannel(), stores::viewStore, documents, () -> {
                            try {
                                try {
                                    documents.close();
                                } finally {
                                    stores.close();
                                }
                            } finally {
                                if (serverPerRun) {
                                    server.close();
                                }
                            }
                        });
            }

            @Override
            public void close() {
                if (shared != null) {
                    shared.close();
                }
            }
        };
    }

    /**
     * Cairn's PostgreSQL stores on embedded PostgreSQL binaries with durable commits ({@code fsync} and
     * {@code synchronous_commit} on, as in production); a fresh schema per run.
     */
    static Server postgres() {
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        String url = server.getJdbcUrl("postgres", "postgres");
        AtomicInteger runs = new AtomicInteger();
        return new Server() {
            @Override
            public String name() {
                return "PostgreSQL";
            }

            @Override
            public boolean supports(Mode mode) {
                return true;
            }

            @Override
            public String describe(Mode mode) {
                String every = millis(mode.pollInterval);
                if (mode.fast) {
                    return "merged: fast + polling " + every + " + NOTIFY";
                }
                return mode.wakeUps ? "polling " + every + " + NOTIFY wake-ups"
                        : "pure polling " + every + ", no NOTIFY";
            }

            @Override
            public Run open(Mode mode) {
                String schema = "lag_" + runs.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
                PostgresStores stores = PostgresStores.open(PostgresSettings.of(url, "postgres", "")
                        .withSchema(schema)
                        .withPollInterval(mode.pollInterval)
                        .withPollBatchSize(POLL_BATCH_SIZE));
                TransactionalViewStore<AccountState> views = stores.viewStore(VIEW_NAME, STATE_CODEC);
                DurableChannel durable = mode.wakeUps ? stores.durableChannel()
                        : new PollingChannel(stores.globalLog(), mode.pollInterval, POLL_BATCH_SIZE);
                return new Run(stores.eventStore(), views, views.checkpoints(), Optional.of(stores.globalLog()),
                        durable, stores::viewStore, new Uncharged(stores::documentStore), stores::close);
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
                }
            }
        };
    }

    private static <S> ViewStore<S> memoryViews(String name, StateCodec<S> codec) {
        return new InMemoryViewStore<>();
    }

    static String millis(Duration duration) {
        requireNonNull(duration, "duration must not be null");
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
