package io.cairn.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import io.cairn.application.feed.CommitFeed;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.cairn.application.AggregateQueries;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.RetryPolicy;
import io.cairn.application.Streams;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.ReleasedCommits;
import io.cairn.application.projection.Projection;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.EventCodec;
import io.cairn.domain.StateCodec;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts domain on whatever store is bound: codecs, the view cache, the command handler (with its snapshot
 * writer), queries, the raw stream API and the projector that keeps the views current: a Disruptor ring merging the
 * store's durable channel with the in-process fast channel. Needs the store ports bound
 * by a store module.
 */
final class AccountsModule extends AbstractModule {

    static final String PROJECTION = "accounts-view";
    /** The name of the accounts' views in a store that keeps several (the DynamoDB views table, PostgreSQL's). */
    static final String VIEW_NAME = "accounts";
    /** How account states are stored in views and snapshots, on every store. */
    static final StateCodec<AccountState> STATE_CODEC = new JacksonStateCodec<>(AccountState.class, 1);

    private final CairnConfig config;

    AccountsModule(CairnConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(Accounts.class).toInstance(new Accounts());
        bind(InProcessFastChannel.class).in(Singleton.class);
        bind(FastChannel.class).to(InProcessFastChannel.class);
        bind(SnapshotWriterService.class).in(Singleton.class);
        // GET /feed follows what the projection's gate releases
        OptionalBinder.newOptionalBinder(binder(), CommitFeed.class).setBinding()
                .to(Key.get(CommitFeed.class, Names.named("live")));
    }

    @Provides
    @Singleton
    EventCodec<AccountEvent> eventCodec() {
        return JacksonEventCodec.forSealed(AccountEvent.class);
    }

    @Provides
    @Singleton
    StateCodec<AccountState> stateCodec() {
        return STATE_CODEC;
    }

    @Provides
    @Singleton
    @Named("cached")
    CachingViewStore<AccountState> cachedViews(ViewStore<AccountState> views) {
        return CachingViewStore.over(views, config.viewCacheSize());
    }

    @Provides
    @Singleton
    CommandHandler<AccountCommand, AccountEvent, AccountState> commandHandler(
            Accounts accounts, EventCodec<AccountEvent> codec, EventStore store,
            @Named("cached") CachingViewStore<AccountState> views, FastChannel fastChannel,
            SnapshotStore<AccountState> snapshots, StateCodec<AccountState> stateCodec, SnapshotWriterService writer) {
        return CommandHandler.builder(accounts, codec, store)
                .views(views)
                .snapshots(snapshots, stateCodec, writer)
                .fastChannel(fastChannel)
                .retryPolicy(new RetryPolicy(config.commandMaxAttempts(), config.commandBaseBackoff(),
                        config.commandMaxBackoff()))
                .build();
    }

    @Provides
    @Singleton
    AggregateQueries<AccountEvent, AccountState> queries(Accounts accounts, EventCodec<AccountEvent> codec,
                                                          EventStore store,
                                                          @Named("cached") CachingViewStore<AccountState> views) {
        return new AggregateQueries<>(accounts, codec, store, views);
    }

    @Provides
    @Singleton
    Streams streams(EventStore store, FastChannel fastChannel, Accounts accounts) {
        return new Streams(store, fastChannel, Set.of(accounts.category()));
    }

    @Provides
    @Singleton
    Projection<AccountEvent, AccountState> projection(Accounts accounts, EventCodec<AccountEvent> codec,
                                                      EventStore store,
                                                      @Named("cached") CachingViewStore<AccountState> views,
                                                      CheckpointStore checkpoints, Optional<GlobalLog> log) {
        return Projection.builder(PROJECTION, accounts, codec, store, views, checkpoints)
                .globalLog(log)
                .gapWait(config.projection().gapWait())
                .build();
    }

    @Provides
    @Singleton
    ReleasedCommits releasedCommits(Projection<AccountEvent, AccountState> projection) {
        return projection;
    }

    @Provides
    @Singleton
    @Named("live")
    CommitFeed liveFeed(ReleasedCommits released, Optional<GlobalLog> log, DurableChannel durable) {
        return new CommitFeed(released, log, durable);
    }

    @Provides
    @Singleton
    DisruptorProjector projector(Projection<AccountEvent, AccountState> projection, DurableChannel durable,
                                 FastChannel fastChannel) {
        FastChannel listened = config.projection().fastChannel() ? fastChannel : FastChannel.none();
        return DisruptorProjector.builder(projection, durable, listened)
                .ringSize(config.projection().ringSize())
                .shards(config.projection().shards())
                .stopTimeout(config.shutdownTimeout())
                .build();
    }
}
