package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.PastState.Base;
import io.cairn.application.Replayer.CatchUp;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Time travel: a stream's state at a past revision or instant, folded from the best snapshot at or below it (the
 * stored snapshot or the view, which is a snapshot the projector keeps current) and the commits between. Nothing is
 * written anywhere, the view cache included. Thread-safe.
 */
final class PastStates<E, S> {

    /** The first slice read forward to find an instant: small, since most reads stop soon; doubled after. */
    private static final int FIRST_SLICE = 16;

    private final Replayer<E, S> replayer;
    private final EventStore store;
    private final ViewStore<S> views;
    private final SnapshotStore<S> snapshots;

    PastStates(Replayer<E, S> replayer, EventStore store, ViewStore<S> views, SnapshotStore<S> snapshots) {
        this.replayer = requireNonNull(replayer, "replayer must not be null");
        this.store = requireNonNull(store, "store must not be null");
        this.views = requireNonNull(views, "views must not be null");
        this.snapshots = requireNonNull(snapshots, "snapshots must not be null");
    }

    /**
     * The state at {@code revision}: from the view if it is exactly there, else from the newest of view and snapshot
     * at or below it (or the start), reading only the commits up to {@code revision}.
     */
    PastState<S> atRevision(StreamId stream, long revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
        Optional<Snapshot<S>> view = views.get(stream);
        if (view.isPresent() && view.get().revision() == revision) {
            return new PastState.Found<>(view.get(), Base.VIEW, revision, 0);
        }
        Based<S> base = new Based<>(Snapshot.initial(stream, replayer.initialState()), Base.INITIAL);
        for (Based<S> candidate : candidates(stream, view)) {
            if (candidate.snapshot.revision() <= revision) {
                base = candidate;
                break;
            }
        }
        CatchUp<S> caughtUp = replayer.catchUp(store, base.snapshot, revision, null);
        long reached = caughtUp.snapshot().revision();
        if (reached == revision) {
            return new PastState.Found<>(caughtUp.snapshot(), base.kind, base.snapshot.revision(),
                    caughtUp.commitsRead());
        }
        return reached == 0 ? new PastState.NoStream<>() : new PastState.BeyondStream<>(revision, reached);
    }

    /**
     * The state after the last commit recorded at or before {@code instant}: from the newest of view and snapshot
     * whose own commit was recorded by then (one commit read to tell), then forward until a commit was recorded
     * after it. Commit times are the store's ({@link RecordedCommit#recordedAt()}); on a stream whose times do not
     * rise (clocks of several writers), this is the longest prefix of commits recorded by then.
     */
    PastState<S> atInstant(StreamId stream, Instant instant) {
        requireNonNull(instant, "instant must not be null");
        long commitsRead = 0;
        Based<S> base = new Based<>(Snapshot.initial(stream, replayer.initialState()), Base.INITIAL);
        for (Based<S> candidate : candidates(stream, views.get(stream))) {
            long at = candidate.snapshot.revision();
            List<RecordedCommit> own = store.readUpTo(stream, at, at, 1).commits();
            commitsRead += own.size();
            if (!own.isEmpty() && !own.get(0).recordedAt().isAfter(instant)) {
                base = candidate;
                break;
            }
        }
        Snapshot<S> current = base.snapshot;
        Instant first = null;
        int slice = FIRST_SLICE;
        reading:
        while (true) {
            StreamSlice read = store.read(stream, current.revision() + 1, slice);
            commitsRead += read.commits().size();
            for (RecordedCommit commit : read.commits()) {
                if (first == null) {
                    first = commit.recordedAt();
                }
                if (commit.recordedAt().isAfter(instant)) {
                    break reading;
                }
                current = replayer.apply(current, commit);
            }
            if (read.commits().isEmpty() || read.endOfStream()) {
                break;
            }
            slice = Math.min(slice * 2, EventStore.MAX_SLICE);
        }
        if (current.revision() > 0) {
            return new PastState.Found<>(current, base.kind, base.snapshot.revision(), commitsRead);
        }
        return first == null ? new PastState.NoStream<>() : new PastState.BeforeStream<>(instant, first);
    }

    /** The view and the stored snapshot, newest first. */
    private List<Based<S>> candidates(StreamId stream, Optional<Snapshot<S>> view) {
        List<Based<S>> candidates = new ArrayList<>(2);
        view.ifPresent(v -> candidates.add(new Based<>(v, Base.VIEW)));
        snapshots.load(stream).ifPresent(s -> candidates.add(new Based<>(s, Base.SNAPSHOT)));
        candidates.sort(Comparator.comparingLong((Based<S> b) -> b.snapshot.revision()).reversed());
        return candidates;
    }

    private record Based<S>(Snapshot<S> snapshot, Base kind) {
    }
}
