package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.application.AggregateQueries;
import io.cairn.application.AggregateQueries.Consistency;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.CommandOutcome;
import io.cairn.application.PastState;
import io.cairn.application.port.Snapshot;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.http.AggregateEndpoint;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One registered aggregate as a running Cairn serves it: its command handler, queries, view cache and the projector
 * that keeps its views current. Every aggregate of every domain gets one, wired the same way. Thread-safe.
 *
 * <p>Code that embeds Cairn sends commands and runs queries through it: {@link Cairn#aggregate(AggregateType)}.
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type
 */
public final class AggregateRuntime<C, E, S> {

    private final AggregateType<C, E, S> type;
    private final CommandHandler<C, E, S> commands;
    private final AggregateQueries<E, S> queries;
    private final SwitchingViews<S> views;
    private volatile DisruptorProjector projector;

    /**
     * @param views what {@code commands} and {@code queries} read their views from: a rebuild's switch points it at
     *              the new generation's cache ({@link #switchTo})
     */
    AggregateRuntime(AggregateType<C, E, S> type, CommandHandler<C, E, S> commands, AggregateQueries<E, S> queries,
                     SwitchingViews<S> views, DisruptorProjector projector) {
        this.type = requireNonNull(type, "type must not be null");
        this.commands = requireNonNull(commands, "commands must not be null");
        this.queries = requireNonNull(queries, "queries must not be null");
        this.views = requireNonNull(views, "views must not be null");
        this.projector = requireNonNull(projector, "projector must not be null");
    }

    /**
     * A rebuild's switch: commands (their snapshots) and queries read {@code newViews} from now on, one reference
     * swap, and {@code newProjector} is this aggregate's projector.
     */
    void switchTo(CachingViewStore<S> newViews, DisruptorProjector newProjector) {
        views.switchTo(newViews);
        this.projector = requireNonNull(newProjector, "newProjector must not be null");
    }

    /** The aggregate's registration. */
    public AggregateType<C, E, S> type() {
        return type;
    }

    /**
     * Handles a command, with a fresh command id (not idempotent: use {@link #handle(String, UUID, Object)} to
     * retry safely).
     *
     * @see CommandHandler#handle
     */
    public CommandOutcome handle(String id, C command) {
        return handle(id, UUID.randomUUID(), command);
    }

    /**
     * Handles a command on aggregate {@code id}; repeating it with the same {@code commandId} appends nothing
     * twice.
     *
     * @return accepted with the revision, or rejected by a business rule (nothing appended)
     * @throws io.cairn.domain.InvalidInputException for an invalid id
     * @throws io.cairn.domain.WrongExpectedRevision when other writers kept winning for every attempt
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached
     * @see CommandHandler#handle
     */
    public CommandOutcome handle(String id, UUID commandId, C command) {
        return commands.handle(id, commandId, command);
    }

    /**
     * The aggregate's state with its revision; empty when it has no commit.
     *
     * @see AggregateQueries#find
     */
    public Optional<Snapshot<S>> find(String id, Consistency consistency) {
        return queries.find(id, consistency);
    }

    /**
     * The aggregate's state as it was at {@code revision} (time travel), folded from the nearest snapshot or view at
     * or below it.
     *
     * @return the state, or why there is none ({@link PastState.NoStream}, {@link PastState.BeyondStream})
     * @throws IllegalArgumentException for {@code revision < 1}
     * @see AggregateQueries#atRevision
     */
    public PastState<S> atRevision(String id, long revision) {
        return queries.atRevision(id, revision);
    }

    /**
     * The aggregate's state as it was at {@code instant} (time travel): after the last commit recorded by then.
     *
     * @return the state, or why there is none ({@link PastState.NoStream}, {@link PastState.BeforeStream})
     * @see AggregateQueries#atInstant
     */
    public PastState<S> atInstant(String id, Instant instant) {
        return queries.atInstant(id, instant);
    }

    /** The command handler, for its counters. */
    public CommandHandler<C, E, S> commands() {
        return commands;
    }

    /** The view cache in front of the view store of the generation queries read. */
    public CachingViewStore<S> views() {
        return views.current();
    }

    /** The projector of this aggregate's views. */
    public DisruptorProjector projector() {
        return projector;
    }

    /** The HTTP routes of this aggregate. */
    AggregateEndpoint<C, E, S> endpoint() {
        return AggregateEndpoint.of(type, commands, queries);
    }
}
