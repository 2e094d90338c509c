package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.NotificationChannel;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Subscription;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one aggregate's views current: applies its streams' commits to their views, in revision order per stream.
 *
 * <p>Fed by the durable channel (the truth, with checkpoints) and the fast channel (a hint).
 * Every commit goes through one gate per stream, whose state is the view's own revision:
 * <ul>
 *   <li>the next revision is applied;</li>
 *   <li>a revision the view already covers is a duplicate and dropped: this is what makes re-delivery after a
 *       restart, or the same commit on both channels, harmless;</li>
 *   <li>a revision past the next one is a gap: the missing commits are read from the store and applied first.</li>
 * </ul>
 * The view write is conditional on the revision it replaces, and goes through the {@link CachingViewStore}, so the
 * command handler sees it at once. The durable channel's checkpoint is saved after the commit was processed, so a
 * checkpoint only ever covers commits whose effect is in the views: a restart resumes from it without loss, and the
 * gate drops what is delivered twice. Where the view store is a {@link TransactionalViewStore} (PostgreSQL), the
 * view and the checkpoint are written in one transaction, so the projection's effect is exactly once.
 *
 * <p>Thread-safe: the two channels' threads take turns per stream (on one of a fixed set of lock stripes), so a
 * slow gap read on one stream does not hold up the others.
 */
public final class Projector<E, S> {

    private static final int MAX_PUT_ATTEMPTS = 16;
    private static final int STRIPES = 64;

    private final String name;
    private final Aggregate<?, E, S> aggregate;
    private final Replayer<E, S> replayer;
    private final EventStore store;
    private final ViewStore<S> views;
    private final CheckpointStore checkpoints;
    private final NotificationChannel channels;
    /** Commits of one stream are applied one at a time; streams on different stripes go in parallel. */
    private final Object[] stripes = new Object[STRIPES];

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong gapCommitsRead = new AtomicLong();
    private final AtomicLong viewConflicts = new AtomicLong();

    private Subscription durableSubscription;
    private Subscription fastSubscription;

    /**
     * @param name     the projection's name, the key of its checkpoint
     * @param views    the views to keep, best the {@link CachingViewStore} the command handler reads
     * @param channels the durable channel it follows from its checkpoint and the fast channel it listens to
     */
    public Projector(String name, Aggregate<?, E, S> aggregate, EventCodec<E> codec, EventStore store,
                     ViewStore<S> views, CheckpointStore checkpoints, NotificationChannel channels) {
        this.name = requireNonNull(name, "name must not be null");
        this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
        this.replayer = new Replayer<>(aggregate, codec);
        this.store = requireNonNull(store, "store must not be null");
        this.views = requireNonNull(views, "views must not be null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        this.channels = requireNonNull(channels, "channels must not be null");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Resumes from the saved checkpoint. */
    public synchronized void start() {
        if (durableSubscription != null) {
            throw new IllegalStateException("projector " + name + " is already running");
        }
        Optional<Checkpoint> from;
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            from = checkpoints.load(name);
        }
        durableSubscription = channels.subscribe(from, this::onDurable);
        try {
            fastSubscription = channels.listen(this::onFast);
        } catch (RuntimeException e) {
            durableSubscription.close();
            durableSubscription = null;
            throw e;
        }
    }

    /** Stops both channels; a commit being applied is finished first. */
    public synchronized void stop() {
        if (fastSubscription != null) {
            fastSubscription.close();
            fastSubscription = null;
        }
        if (durableSubscription != null) {
            durableSubscription.close();
            durableSubscription = null;
        }
    }

    public String name() {
        return name;
    }

    /** Commits applied to views. */
    public long applied() {
        return applied.get();
    }

    /** Commits dropped because their view already covered them. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Commits read from the store to fill gaps. */
    public long gapCommitsRead() {
        return gapCommitsRead.get();
    }

    /** View writes that lost to another writer and were redone. */
    public long viewConflicts() {
        return viewConflicts.get();
    }

    void onDurable(RecordedCommit commit, Checkpoint checkpoint) {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            if (!project(commit, checkpoint)) {
                checkpoints.save(name, checkpoint);
            }
        }
    }

    void onFast(RecordedCommit commit) {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            project(commit, null);
        }
    }

    /**
     * Applies {@code commit} (and any commit of its stream missing before it) to its view. With a
     * {@link TransactionalViewStore}, the view and {@code checkpoint} (when there is one) are written in one
     * transaction.
     *
     * @return true when {@code checkpoint} was saved with the view; false when it still has to be saved
     */
    boolean project(RecordedCommit commit, Checkpoint checkpoint) {
        if (!aggregate.category().equals(commit.stream().category())) {
            return false;
        }
        boolean withCheckpoint = checkpoint != null && views instanceof TransactionalViewStore<S>;
        synchronized (stripes[Math.floorMod(commit.stream().hashCode(), STRIPES)]) {
            for (int attempt = 1; attempt <= MAX_PUT_ATTEMPTS; attempt++) {
                StreamId stream = commit.stream();
                Snapshot<S> view = views.get(stream).orElseGet(() -> Snapshot.initial(stream, aggregate.initialState()));
                if (commit.revision() <= view.revision()) {
                    duplicates.incrementAndGet();
                    return false;
                }
                Snapshot<S> next = fillGap(view, commit.revision() - 1);
                next = replayer.apply(next, commit);
                boolean written = withCheckpoint
                        ? ((TransactionalViewStore<S>) views).putAll(
                                List.of(new ViewWrite<>(next, view.revision())), name, checkpoint)
                        : views.put(next, view.revision());
                if (written) {
                    applied.addAndGet(next.revision() - view.revision());
                    return withCheckpoint;
                }
                viewConflicts.incrementAndGet();
            }
            throw new IllegalStateException("view of " + commit.stream() + " kept moving under projector " + name);
        }
    }

    private Snapshot<S> fillGap(Snapshot<S> view, long upTo) {
        if (view.revision() >= upTo) {
            return view;
        }
        Replayer.CatchUp<S> filled = replayer.catchUp(store, view, upTo, null);
        gapCommitsRead.addAndGet(filled.commitsRead());
        if (filled.snapshot().revision() != upTo) {
            throw new IllegalStateException("store returned " + view.stream() + " up to " + filled.snapshot().revision()
                    + " but a commit at " + (upTo + 1) + " exists");
        }
        return filled.snapshot();
    }
}
