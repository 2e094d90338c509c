package io.cairn.application.projection;

import io.cairn.application.Replayer;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import static java.util.Objects.requireNonNull;

/**
 * What a projection follows and how it folds a commit into a stream's view: the one part in which an aggregate's
 * views and the all-commits projection of the live feed differ. Implementations are immutable and thread-safe.
 */
sealed interface Fold<S> permits Fold.OfAggregate, Fold.OfRevisions, Fold.OfCategories {

    /** Whether the projection keeps a view for {@code commit}'s stream. */
    boolean projects(RecordedCommit commit);

    /**
     * Whether a stream this projection has no view of starts at the first commit it sees, rather than at the
     * stream's beginning: true for the live feed, which shows what happens from when it follows a stream on and
     * never replays a stream's older history; false for an aggregate's views, which fold every commit.
     */
    default boolean startsAtFirstSight() {
        return false;
    }

    /** The view of {@code stream} before its first commit. */
    S initialState(StreamId stream);

    /**
     * {@code from} moved on by {@code commit}, the very next commit of its stream.
     *
     * @throws IllegalArgumentException when {@code commit} does not follow {@code from}
     */
    Snapshot<S> apply(Snapshot<S> from, RecordedCommit commit);

    /**
     * {@code from} with the stream's commits up to revision {@code upTo} (fewer if the stream ends) read from
     * {@code store} and folded in.
     *
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached
     */
    Replayer.CatchUp<S> catchUp(EventStore store, Snapshot<S> from, long upTo);

    /** The views of one aggregate: its category's commits, folded by its {@code evolve}. */
    record OfAggregate<E, S>(Aggregate<?, E, S> aggregate, Replayer<E, S> replayer) implements Fold<S> {

        OfAggregate(Aggregate<?, E, S> aggregate, EventCodec<E> codec) {
            this(aggregate, new Replayer<>(aggregate, codec));
        }

        @Override
        public boolean projects(RecordedCommit commit) {
            return aggregate.category().equals(commit.stream().category());
        }

        @Override
        public S initialState(StreamId stream) {
            return aggregate.initialState();
        }

        @Override
        public Snapshot<S> apply(Snapshot<S> from, RecordedCommit commit) {
            return replayer.apply(from, commit);
        }

        @Override
        public Replayer.CatchUp<S> catchUp(EventStore store, Snapshot<S> from, long upTo) {
            return replayer.catchUp(store, from, upTo, null);
        }
    }

    /**
     * The streams of several aggregates, each folded by its own aggregate: what a document projection that follows
     * more than one aggregate keeps per stream. A view's state is {@link Tagged}: the aggregate's state with the
     * category it belongs to, so that one store of views can hold states of several types.
     *
     * @param replayers by category
     */
    record OfCategories(Map<String, Replayer<?, ?>> replayers) implements Fold<Tagged> {

        public OfCategories {
            replayers = Map.copyOf(replayers);
        }

        @Override
        public boolean projects(RecordedCommit commit) {
            return replayers.containsKey(commit.stream().category());
        }

        @Override
        public Tagged initialState(StreamId stream) {
            return new Tagged(stream.category(), replayer(stream).initialState());
        }

        @Override
        public Snapshot<Tagged> apply(Snapshot<Tagged> from, RecordedCommit commit) {
            Snapshot<Object> moved = replayer(from.stream()).apply(untagged(from), commit);
            return tagged(moved);
        }

        @Override
        public Replayer.CatchUp<Tagged> catchUp(EventStore store, Snapshot<Tagged> from, long upTo) {
            Replayer.CatchUp<Object> caughtUp = replayer(from.stream()).catchUp(store, untagged(from), upTo, null);
            return new Replayer.CatchUp<>(tagged(caughtUp.snapshot()), caughtUp.commitsRead(), caughtUp.bytesRead(),
                    caughtUp.watched());
        }

        @SuppressWarnings("unchecked")
        private Replayer<Object, Object> replayer(StreamId stream) {
            Replayer<?, ?> replayer = replayers.get(stream.category());
            if (replayer == null) {
                throw new IllegalArgumentException("this projection follows " + replayers.keySet() + ", not "
                        + stream.category());
            }
            return (Replayer<Object, Object>) replayer;
        }

        private static Snapshot<Object> untagged(Snapshot<Tagged> view) {
            return new Snapshot<>(view.stream(), view.revision(), view.state().state(), view.recentCommitIds());
        }

        /** No commit ids: no command reads these views, and the ids would make every state item larger. */
        private static Snapshot<Tagged> tagged(Snapshot<Object> view) {
            return new Snapshot<>(view.stream(), view.revision(), new Tagged(view.stream().category(), view.state()),
                    List.of());
        }
    }

    /**
     * Every stream, whatever its category, and no state: a view is only the revision released, kept so that a
     * gate in stream order knows each stream's next commit across restarts. Commit ids are not kept either (no
     * command reads these views), so a row stays a few bytes.
     *
     * @param keepsViews false in global order, where the position alone says what was released: no view is kept
     */
    record OfRevisions(boolean keepsViews) implements Fold<RevisionOnly> {

        @Override
        public boolean projects(RecordedCommit commit) {
            return keepsViews;
        }

        @Override
        public RevisionOnly initialState(StreamId stream) {
            return RevisionOnly.INSTANCE;
        }

        @Override
        public boolean startsAtFirstSight() {
            return true;
        }

        @Override
        public Snapshot<RevisionOnly> apply(Snapshot<RevisionOnly> from, RecordedCommit commit) {
            if (!commit.stream().equals(from.stream()) || commit.revision() != from.revision() + 1) {
                throw new IllegalArgumentException("commit " + commit.stream() + "@" + commit.revision()
                        + " does not follow " + from.stream() + "@" + from.revision());
            }
            return new Snapshot<>(from.stream(), commit.revision(), RevisionOnly.INSTANCE, List.of());
        }

        @Override
        public Replayer.CatchUp<RevisionOnly> catchUp(EventStore store, Snapshot<RevisionOnly> from, long upTo) {
            requireNonNull(store, "store must not be null");
            Snapshot<RevisionOnly> current = from;
            long read = 0;
            while (current.revision() < upTo) {
                int want = (int) Math.min(EventStore.MAX_SLICE, upTo - current.revision());
                StreamSlice slice = store.read(from.stream(), current.revision() + 1, want);
                for (RecordedCommit commit : slice.commits()) {
                    if (commit.revision() > upTo) {
                        break;
                    }
                    current = apply(current, commit);
                    read++;
                }
                if (slice.commits().isEmpty() || slice.endOfStream()) {
                    break;
                }
            }
            return new Replayer.CatchUp<>(current, read, 0, OptionalLong.empty());
        }
    }
}
