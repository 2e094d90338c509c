package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Replayer.CatchUp;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads one aggregate's state, at the consistency the caller asks for, or as it was at a past revision or instant
 * (time travel, {@link #atRevision}, {@link #atInstant}). Thread-safe.
 */
public final class AggregateQueries<E, S> {

    /** How fresh a query's answer must be. */
    public enum Consistency {
        /** The view as the projector left it (through the cache); may trail the latest commits. */
        EVENTUAL,
        /** The view plus every commit stored after it, folded on read: reflects every acknowledged commit. */
        STRONG
    }

    private final Aggregate<?, E, S> aggregate;
    private final Replayer<E, S> replayer;
    private final EventStore store;
    private final ViewStore<S> views;

    private final PastStates<E, S> past;

    /** Queries without a snapshot store: a past state folds from the view or from the stream's start. */
    public AggregateQueries(Aggregate<?, E, S> aggregate, EventCodec<E> codec, EventStore store, ViewStore<S> views) {
        this(aggregate, codec, store, views, noSnapshots());
    }

    /**
     * @param snapshots the aggregate's snapshot store (the command handler's), from which a past state may fold
     * @throws NullPointerException for a null argument
     */
    public AggregateQueries(Aggregate<?, E, S> aggregate, EventCodec<E> codec, EventStore store, ViewStore<S> views,
                            SnapshotStore<S> snapshots) {
        this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
        this.replayer = new Replayer<>(aggregate, codec);
        this.store = requireNonNull(store, "store must not be null");
        this.views = requireNonNull(views, "views must not be null");
        this.past = new PastStates<>(replayer, store, views, requireNonNull(snapshots, "snapshots must not be null"));
    }

    @SuppressWarnings("unchecked")
    private static <S> SnapshotStore<S> noSnapshots() {
        return (SnapshotStore<S>) NoSnapshots.INSTANCE;
    }

    /**
     * @param id the aggregate's id within its category
     * @return the state with the revision it reflects; empty when the aggregate has no commit. An eventual query
     *         for an aggregate the projector has not reached yet reads the stream, so that a client never gets
     *         "not found" for an aggregate whose first command it was told succeeded.
     */
    public Optional<Snapshot<S>> find(String id, Consistency consistency) {
        requireNonNull(consistency, "consistency must not be null");
        StreamId stream = aggregate.streamOf(id);
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return find(stream, consistency);
        }
    }

    /**
     * The aggregate's state as it was at {@code revision} (time travel). Folds from the best snapshot at or below
     * it: the view when it is exactly there, else the newer of the view and the stored snapshot that are not past
     * it, else the stream's start; reads only the commits from there up to {@code revision}, never one past it.
     * Writes nothing, the view cache included.
     *
     * @param id       the aggregate's id within its category
     * @param revision {@code >= 1}
     * @return the state ({@link PastState.Found}), {@link PastState.NoStream} when the aggregate has no commit, or
     *         {@link PastState.BeyondStream} with the current revision when {@code revision} is past the last commit
     * @throws IllegalArgumentException  for {@code revision < 1}
     * @throws io.cairn.domain.InvalidInputException for an id that makes no valid stream id
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached
     */
    public PastState<S> atRevision(String id, long revision) {
        StreamId stream = aggregate.streamOf(id);
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return past.atRevision(stream, revision);
        }
    }

    /**
     * The aggregate's state as it was at {@code instant} (time travel): after the last commit whose
     * {@link io.cairn.domain.RecordedCommit#recordedAt() recordedAt} (the store's time for the commit, the same for
     * all its events) is at or before {@code instant}. Folds from the newer of the view and the stored snapshot
     * whose own commit was recorded by then (one commit read to tell), else from the stream's start, reading forward
     * until a commit recorded later. Writes nothing.
     *
     * @param id      the aggregate's id within its category
     * @param instant not null
     * @return the state ({@link PastState.Found}, its snapshot's revision the one it reflects),
     *         {@link PastState.NoStream} when the aggregate has no commit, or {@link PastState.BeforeStream} when its
     *         first commit was recorded after {@code instant}
     * @throws NullPointerException for a null instant
     * @throws io.cairn.domain.InvalidInputException for an id that makes no valid stream id
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached
     */
    public PastState<S> atInstant(String id, Instant instant) {
        requireNonNull(instant, "instant must not be null");
        StreamId stream = aggregate.streamOf(id);
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return past.atInstant(stream, instant);
        }
    }

    private Optional<Snapshot<S>> find(StreamId stream, Consistency consistency) {
        Optional<Snapshot<S>> view = views.get(stream);
        if (consistency == Consistency.EVENTUAL && view.isPresent()) {
            return view;
        }
        Snapshot<S> base = view.orElseGet(() -> Snapshot.initial(stream, aggregate.initialState()));
        CatchUp<S> caughtUp = replayer.catchUp(store, base, null);
        Snapshot<S> latest = caughtUp.snapshot();
        return latest.revision() == 0 ? Optional.empty() : Optional.of(latest);
    }

    /** No stored snapshots: for queries wired without a snapshot store. */
    private enum NoSnapshots implements SnapshotStore<Object> {
        INSTANCE;

        @Override
        public Optional<Snapshot<Object>> load(StreamId stream) {
            return Optional.empty();
        }

        @Override
        public boolean save(Snapshot<Object> snapshot) {
            return false;
        }
    }
}
