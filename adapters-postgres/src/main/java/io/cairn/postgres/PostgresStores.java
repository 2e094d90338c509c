package io.cairn.postgres;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Service;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.domain.StateCodec;
import java.time.Duration;

/**
 * Every Cairn store on one PostgreSQL schema, built from {@link PostgresSettings} without a dependency-injection
 * container:
 *
 * <pre>{@code
 * PostgresStores postgres = new PostgresStores(settings);   // no I/O yet
 * EventStore events = postgres.eventStore();
 * TransactionalViewStore<ProductState> products = postgres.viewStore("products", codec);
 * DocumentStore<OrderState> orders = postgres.documentStore("order-summaries", orderCodec);
 * postgres.start();                                          // pool, schema, appender
 * ...
 * postgres.stop();
 * }</pre>
 *
 * <p>The stores can be obtained before {@link #start()} (wiring does no I/O) but answer only between start and
 * {@link #stop()}. Start migrates the schema, or when {@link PostgresSettings#migrateOnStart()} is off checks
 * that it is at the version this code needs and refuses to start otherwise. Stop ends the durable channel's
 * subscriptions, writes the appends already queued, and closes every connection. A stopped instance does not
 * start again. Connection failures surface as {@link StoreUnavailableException}; the pool reconnects by itself
 * when the database returns. Thread-safe.
 */
public final class PostgresStores implements Service, AutoCloseable {

    /** How long the LISTEN connection waits before it reconnects, and a failed delivery before it is retried. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    private final PostgresSettings settings;
    private final Database db;
    private final GroupCommitAppender appender;
    private final PostgresEventStore eventStore;
    private final PostgresCheckpointStore checkpointStore;
    private final CommitNotifications notifications;
    private final PostgresDurableChannel durableChannel;
    private final PostgresHealthCheck healthCheck;

    /** Builds the stores; connects to nothing until {@link #start()}. */
    public PostgresStores(PostgresSettings settings) {
        this.settings = requireNonNull(settings, "settings must not be null");
        this.db = new Database(settings);
        this.appender = new GroupCommitAppender(db);
        this.eventStore = new PostgresEventStore(db, appender);
        this.checkpointStore = new PostgresCheckpointStore(db);
        this.notifications = new CommitNotifications(db, RETRY_PAUSE);
        this.durableChannel = new PostgresDurableChannel(eventStore, notifications, settings.pollInterval(),
                settings.pollBatchSize(), RETRY_PAUSE);
        this.healthCheck = new PostgresHealthCheck(db);
    }

    /** Builds and starts the stores in one go. */
    public static PostgresStores open(PostgresSettings settings) {
        PostgresStores stores = new PostgresStores(settings);
        stores.start();
        return stores;
    }

    @Override
    public String name() {
        return "postgres";
    }

    /**
     * Migrates or checks the schema, opens the pool and starts the appender.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws IllegalStateException     when the schema is not at the version this code needs (and migrating is
     *                                   off), a migration fails, or this instance was started before
     */
    @Override
    public void start() {
        SchemaMigrations migrations = new SchemaMigrations(settings);
        if (settings.migrateOnStart()) {
            migrations.migrate();
        } else {
            migrations.verify();
        }
        db.open();
        try {
            appender.start();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Stops the subscriptions and the appender (after it has written what is queued) and closes the pool. */
    @Override
    public void stop() {
        durableChannel.close();
        notifications.close();
        appender.close();
        db.close();
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Creates the schema if needed and applies the migrations not applied yet, on a connection of its own: it
     * works whether or not this instance is started.
     *
     * @throws StoreUnavailableException when the database cannot be reached
     * @throws IllegalStateException     when a migration fails
     */
    public void migrate() {
        new SchemaMigrations(settings).migrate();
    }

    public PostgresSettings settings() {
        return settings;
    }

    /** The event store: optimistic concurrency on revision, idempotent on commitId, batched appends. */
    public EventStore eventStore() {
        return eventStore;
    }

    /** The global order of the event store's commits: gap-free, consecutive positions in commit order. */
    public GlobalLog globalLog() {
        return eventStore;
    }

    /** A snapshot store whose states are written with {@code codec}. Cheap; call once per state type. */
    public <S> SnapshotStore<S> snapshotStore(StateCodec<S> codec) {
        return new PostgresSnapshotStore<>(db, codec);
    }

    /**
     * The view store of the read model named {@code view}, whose states are written with {@code codec}; its
     * {@link TransactionalViewStore#checkpoints()} is {@link #checkpointStore()}. Cheap; call once per view.
     *
     * @param view not empty; views of different names are independent
     */
    public <S> TransactionalViewStore<S> viewStore(String view, StateCodec<S> codec) {
        return new PostgresViewStore<>(db, view, codec, checkpointStore);
    }

    /**
     * The documents and per-stream states of the document projection {@code projection}, its states written with
     * {@code codec}; its {@link DocumentStore#checkpoints()} is {@link #checkpointStore()}, where its checkpoint is
     * saved under {@code projection}. The states are views named {@code projection + ".streams"}: give no
     * {@link #viewStore} that name. Cheap; call once per projection.
     *
     * @param projection not empty; projections of different names are independent
     */
    public <S> DocumentStore<S> documentStore(String projection, StateCodec<S> codec) {
        return new PostgresDocumentStore<>(db, projection, codec, checkpointStore);
    }

    /** The projections' checkpoints, the same ones {@link TransactionalViewStore#putAll} saves. */
    public CheckpointStore checkpointStore() {
        return checkpointStore;
    }

    /** Catch-up over the global log from a checkpoint (a global position), woken by LISTEN/NOTIFY. */
    public DurableChannel durableChannel() {
        return durableChannel;
    }

    /** {@code SELECT 1} through the pool. */
    public HealthCheck healthCheck() {
        return healthCheck;
    }
}
