package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Replayer.CatchUp;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.StreamId;
import java.util.Optional;

/**
 * Reads one aggregate's state, at the consistency the caller asks for. Thread-safe.
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

    public AggregateQueries(Aggregate<?, E, S> aggregate, EventCodec<E> codec, EventStore store, ViewStore<S> views) {
        this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
        this.replayer = new Replayer<>(aggregate, codec);
        this.store = requireNonNull(store, "store must not be null");
        this.views = requireNonNull(views, "views must not be null");
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
}
