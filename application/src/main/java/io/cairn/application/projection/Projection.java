package io.cairn.application.projection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.application.CachingViewStore;
import io.cairn.application.Replayer;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.ReleasedCommits;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.Subscription;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import static java.util.Objects.requireNonNull;

/**
 * One projection: the views of one aggregate, kept current from the commits of its category
 * ({@link #builder}); or every commit of the store, released once each and in order, for the live feed
 * ({@link #allCommits}). This is the part of the merge that does not depend on how commits are carried: the gate
 * ({@link ProjectionShard}), view writes in batches, checkpoints, counters and the listeners of what is released.
 * The ring that feeds it lives in an adapter.
 *
 * <p>Thread-safe: the shards it makes are each driven by one thread; the counters and listeners are shared.
 */
public final class Projection<E, S> implements ReleasedCommits {

    private static final System.Logger LOG = System.getLogger(Projection.class.getName());

    final String name;
    final Fold<S> fold;
    final EventStore store;
    final Optional<GlobalLog> log;
    final CachingViewStore<S> views;
    final CheckpointStore checkpoints;
    final long gapWaitNanos;
    final Duration retryBackoff;
    final long checkpointIntervalNanos;
    final LongSupplier clock;

    /** The document side, for a projection into documents ({@link #documents}). */
    final Optional<DocumentSink<E, S, ?>> documents;
    private volatile ProjectionFailure failure;
    /** Global order: every commit up to this position is applied and stored. */
    private volatile long appliedPosition;
    /** Stream order: the revision each stream's state was last stored at, for the streams seen lately. */
    private final Cache<StreamId, Long> storedRevisions = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Object progress = new Object();
    private volatile long lastStoredNanos;

    private final List<ProjectionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ReleasedCommits.Listener> followers = new CopyOnWriteArrayList<>();
    private volatile Checkpoint savedCheckpoint;
    /** A document projection's skip list, as loaded with its checkpoint and extended by {@link #skip}. */
    private volatile List<SkippedCommit> skipped = List.of();
    /** Commits released but never stored because the projection had stopped: not behind, gone ({@link #resume}). */
    private final LongAdder discarded = new LongAdder();

    final LongAdder applied = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    /** Global order: the position through which the gate has released every commit; written by the gate only. */
    volatile long releasedPosition;
    /** Global order: whether the gate holds commits behind a missing position; written by the gate only. */
    volatile boolean gapOpen;
    /** What {@link #awaitApplied} runs before it waits: the projector taking at once what it may leave for later. */
    private volatile Runnable wake = () -> { };
    final LongAdder gapWaits = new LongAdder();
    final LongAdder gapCommitsRead = new LongAdder();
    final LongAdder viewConflicts = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder storeRetries = new LongAdder();
    final LongAdder storedCommits = new LongAdder();

    private Projection(Builder<E, S> builder) {
        this.name = builder.name;
        this.fold = builder.fold.apply(builder.log.isPresent() ? Ordering.GLOBAL_POSITION : Ordering.STREAM_REVISION);
        this.store = builder.store;
        this.log = builder.log;
        this.views = builder.views;
        this.checkpoints = builder.checkpoints;
        this.gapWaitNanos = builder.gapWait.toNanos();
        this.retryBackoff = builder.retryBackoff;
        this.checkpointIntervalNanos = builder.checkpointInterval.toNanos();
        this.clock = builder.clock;
        this.documents = Optional.ofNullable(builder.sink);
    }

    /**
     * @param name        the projection's name, the key of its checkpoint
     * @param views       the cache the command handler and queries read; the projector shows views there first
     * @param checkpoints where the checkpoint is kept; for a {@link io.cairn.application.port.TransactionalViewStore}
     *                    its own {@code checkpoints()}, so that views and checkpoint are written together
     */
    public static <E, S> Builder<E, S> builder(String name, Aggregate<?, E, S> aggregate, EventCodec<E> codec,
                                               EventStore store, CachingViewStore<S> views,
                                               CheckpointStore checkpoints) {
        requireNonNull(aggregate, "aggregate must not be null");
        requireNonNull(codec, "codec must not be null");
        Fold<S> fold = new Fold.OfAggregate<>(aggregate, codec);
        return new Builder<>(name, ordering -> fold, store, views, checkpoints);
    }

    /**
     * A projection of every commit the store holds, whatever its stream's category, that keeps no state: its gate
     * releases each commit exactly once, in revision order per stream and, with a {@link Builder#globalLog global
     * log}, in position order. It is what the live feed ({@link io.cairn.application.feed.CommitFeed}) follows, and
     * is run like any other projection (one ring of its own, its own checkpoint).
     *
     * <p>In global order the position released is all it needs: it writes no view, only its checkpoint (with
     * {@code checkpoints}; {@code revisions} is not used). In stream order (DynamoDB) it keeps, per stream, the
     * revision released as a view without state in {@code revisions}, so that it knows each stream's next commit
     * exactly across restarts; the durable channel's checkpoint is saved after those views, as for an aggregate.
     *
     * @param name        the projection's name, the key of its checkpoint; not empty
     * @param store       where missing commits are read
     * @param revisions   the revision-only views, e.g. over a view store named like the projection with
     *                    {@link RevisionOnly#codec()}
     * @param checkpoints where the checkpoint is kept
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is empty
     */
    public static Builder<Void, RevisionOnly> allCommits(String name, EventStore store,
                                                         CachingViewStore<RevisionOnly> revisions,
                                                         CheckpointStore checkpoints) {
        return new Builder<>(name, ordering -> new Fold.OfRevisions(ordering == Ordering.STREAM_REVISION), store,
                revisions, checkpoints);
    }

    /**
     * A projection into documents: the commits of the aggregates it {@code follows}, each applied by that aggregate's
     * handler to the documents in {@code documents}, exactly once, with each stream's state (its aggregate's, folded
     * by its {@code evolve}, {@link Tagged} with its category) kept beside them as this projection's views. In
     * global order the commits of all followed aggregates come in position order. See {@link DocumentSink}.
     *
     * @param name          the projection's name, the key of its checkpoint; not empty
     * @param follows       the aggregates it follows, one per category, at least one
     * @param store         where missing commits are read
     * @param documents     where the documents, the states and the checkpoint are kept
     * @param documentCodec how the documents are stored, as JSON
     * @param cacheSize     how many states and how many documents are cached, each
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is empty, {@code follows} is empty or names a category
     *                                  twice, or {@code cacheSize < 1}
     */
    public static <D> Builder<Object, Tagged> documents(String name, List<DocumentFollow<?, ?, D>> follows,
                                                        EventStore store, DocumentStore<Tagged> documents,
                                                        StateCodec<D> documentCodec, long cacheSize) {
        requireNonNull(follows, "follows must not be null");
        requireNonNull(documents, "documents must not be null");
        requireNonNull(documentCodec, "documentCodec must not be null");
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be >= 1, was " + cacheSize);
        }
        if (follows.isEmpty()) {
            throw new IllegalArgumentException("a document projection follows at least one aggregate");
        }
        Map<String, Replayer<?, ?>> replayers = new LinkedHashMap<>();
        for (DocumentFollow<?, ?, D> follow : follows) {
            if (replayers.put(follow.aggregate().category(), replayer(follow)) != null) {
                throw new IllegalArgumentException("a document projection follows category "
                        + follow.aggregate().category() + " twice");
            }
        }
        Fold<Tagged> fold = new Fold.OfCategories(replayers);
        Builder<Object, Tagged> builder = new Builder<>(name, ordering -> fold, store,
                CachingViewStore.over(documents, cacheSize), documents.checkpoints());
        List<DocumentFollow<?, ?, D>> copied = List.copyOf(follows);
        builder.sinkFactory = (attempts, backoff) -> new DocumentSink<>(copied, documentCodec, documents, cacheSize,
                attempts, backoff);
        return builder;
    }

    private static <E, S> Replayer<E, S> replayer(DocumentFollow<E, S, ?> follow) {
        return new Replayer<>(follow.aggregate(), follow.events());
    }

    public String name() {
        return name;
    }

    /** The categories whose commits this projection applies; empty for the all-commits projection (every one). */
    public Set<String> follows() {
        if (fold instanceof Fold.OfAggregate<?, ?> of) {
            return Set.of(of.aggregate().category());
        }
        return fold instanceof Fold.OfCategories categories ? Set.copyOf(categories.replayers().keySet()) : Set.of();
    }

    /** The documents of a projection into documents; empty for any other. */
    public Optional<DocumentStore<S>> documentStore() {
        return documents.map(DocumentSink::store);
    }

    /** Why this projection stopped, or null while it runs. */
    public ProjectionFailure failure() {
        return failure;
    }

    /**
     * Stops this projection at {@code commit}, which it could not apply because of {@code error}: nothing after it
     * is stored, the checkpoint stays before it, and {@link #failure()} says why. The first stop wins.
     *
     * @throws NullPointerException when an argument is null
     */
    public void stopAt(RecordedCommit commit, Throwable error) {
        requireNonNull(commit, "commit must not be null");
        requireNonNull(error, "error must not be null");
        if (failure == null) {
            stop(new ProjectionFailure(commit.stream(), commit.revision(), commit.position(),
                    ProjectionFailure.describe(error), Instant.now()));
        }
    }

    void stop(ProjectionFailure failure) {
        this.failure = requireNonNull(failure, "failure must not be null");
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /**
     * Makes a stopped projection ready to run again from its saved checkpoint, with the current code: clears
     * {@link #failure()} and forgets what it had released but not stored (its caches of views and documents), so
     * that the commit it stopped at, and everything after it, is applied afresh; what was stored is recognised by
     * the stored states and not applied twice. Call it only while no projector runs this projection (between its
     * projector's stop and start). Does nothing to a projection that runs.
     */
    public void resume() {
        if (failure == null) {
            return;
        }
        views.invalidateAll();
        documents.ifPresent(DocumentSink::forget);
        discarded.add(Math.max(0, applied.sum() - storedCommits.sum() - discarded.sum()));
        failure = null;
    }

    /**
     * Marks this projection stopped again at {@code failure}, the failure {@link #resume} cleared, when its projector
     * could not start again (e.g. the store was down): it shows as stopped, and may be retried again.
     *
     * @throws NullPointerException when {@code failure} is null
     */
    public void reinstate(ProjectionFailure failure) {
        requireNonNull(failure, "failure must not be null");
        if (this.failure == null) {
            stop(failure);
        }
    }

    /**
     * Skips the commit a stopped document projection stopped at: adds it to the projection's skip list and saves
     * that list before anything else, so that once this returns the commit is skipped whatever crashes, and runs
     * again only after {@link #resume} and a projector start. A skipped commit is treated as applied with no
     * document change: the handler is not called for it, and its stream's state moves to its revision (folded by the
     * aggregate's {@code evolve} when that succeeds, the state before it otherwise). No other commit is skipped.
     *
     * <p>Not for another thread's concurrent skip of the same projection: callers serialise skips.
     *
     * @param now when it is skipped
     * @return the commit skipped
     * @throws IllegalStateException             when the projection is not stopped, or is not a document projection
     * @throws StoreUnavailableException         when the skip list cannot be saved; nothing is skipped then
     */
    public SkippedCommit skip(Instant now) {
        requireNonNull(now, "now must not be null");
        ProjectionFailure stoppedAt = failure;
        if (stoppedAt == null) {
            throw new IllegalStateException("projection " + name + " is not stopped");
        }
        if (documents.isEmpty()) {
            throw new IllegalStateException("projection " + name + " keeps no documents: only a document "
                    + "projection skips a commit");
        }
        SkippedCommit skip = SkippedCommit.of(stoppedAt, now);
        List<SkippedCommit> more = new java.util.ArrayList<>(skipped);
        more.removeIf(earlier -> earlier.stream().equals(skip.stream()) && earlier.revision() == skip.revision());
        more.add(skip);
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            checkpoints.save(SkipList.key(name), SkipList.encode(more));
        }
        skipped = List.copyOf(more);
        return skip;
    }

    /** The commits this document projection skips, in the order they were skipped; empty for any other. */
    public List<SkippedCommit> skipped() {
        return skipped;
    }

    /** Whether {@code commit} is on this projection's skip list. */
    boolean isSkipped(RecordedCommit commit) {
        List<SkippedCommit> list = skipped;
        if (list.isEmpty()) {
            return false;
        }
        for (SkippedCommit skip : list) {
            if (skip.is(commit)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Global order: whether the gate has already released {@code commit}, say because the fast channel brought it
     * first. A commit the durable channel brings that is, is a duplicate: the projector counts it as one here and
     * need not put it in the ring (a copy put in anyway is dropped by the gate, as before). A commit without a
     * position, or in stream order, never is. For any thread.
     *
     * @param commit not null
     */
    public boolean releasedAlready(RecordedCommit commit) {
        if (ordering() != Ordering.GLOBAL_POSITION || commit.position().isEmpty()
                || commit.position().getAsLong() > releasedPosition) {
            return false;
        }
        duplicates.increment();
        return true;
    }

    /**
     * Global order: the position through which the gate has released every commit (and so will apply and store
     * each of them); 0 in stream order. For any thread.
     */
    public long releasedThrough() {
        return ordering() == Ordering.GLOBAL_POSITION ? releasedPosition : 0;
    }

    /** Global order: every commit up to {@code position} is applied and stored. */
    void appliedThrough(long position) {
        if (position <= appliedPosition) {
            return;
        }
        appliedPosition = position; // what a rebuild compares with the log's head
        if (documents.isEmpty()) {
            return; // only readers of documents wait for what is applied
        }
        lastStoredNanos = clock.getAsLong();
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /**
     * Global order: the position through which every commit is applied and stored (0 before the first, and in
     * stream order); what a rebuild compares with the log's head to know it has caught up.
     */
    public long appliedPosition() {
        return appliedPosition;
    }

    /** Global order only: the store's log, which a rebuild reads the head of. */
    public Optional<GlobalLog> globalLog() {
        return log;
    }

    /** Stream order: these states are stored. */
    void storedStates(List<ViewWrite<S>> states) {
        if (states.isEmpty()) {
            return;
        }
        for (ViewWrite<S> state : states) {
            storedRevisions.asMap().merge(state.view().stream(), state.view().revision(), Math::max);
        }
        lastStoredNanos = clock.getAsLong();
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** What {@link #awaitApplied} found. */
    public enum Awaited {
        /** The commit is applied and its effect stored (or the projection does not follow its stream). */
        APPLIED,
        /** The wait ended first. */
        TIMED_OUT,
        /** The projection stopped before it applied the commit. */
        STOPPED
    }

    /**
     * Waits until this projection has applied and stored the commit at {@code revision} of {@code stream} (in
     * global order: at {@code position}, when given), for at most {@code timeout}: what a reader who wrote that
     * commit waits for to read its own write. A commit of a stream this projection does not follow counts as
     * applied at once in stream order.
     *
     * @throws NullPointerException when an argument is null
     */
    public Awaited awaitApplied(StreamId stream, long revision, OptionalLong position, Duration timeout) {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(position, "position must not be null");
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean fromStore = false;
        boolean woken = false;
        while (true) {
            if (hasApplied(stream, revision, position, fromStore)) {
                return Awaited.APPLIED;
            }
            if (!woken) {
                woken = true;
                wake.run();
            }
            fromStore = false;
            if (failure != null) {
                return Awaited.STOPPED;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Awaited.TIMED_OUT;
            }
            synchronized (progress) {
                try {
                    progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Awaited.TIMED_OUT;
                }
            }
            fromStore = true;
        }
    }

    private boolean hasApplied(StreamId stream, long revision, OptionalLong position, boolean fromStore) {
        if (ordering() == Ordering.GLOBAL_POSITION && position.isPresent()) {
            return appliedPosition >= position.getAsLong();
        }
        if (!follows().isEmpty() && !follows().contains(stream.category())) {
            return true;
        }
        Long stored = storedRevisions.getIfPresent(stream);
        if (stored != null && stored >= revision) {
            return true;
        }
        if (stored == null && fromStore) {
            long read = views.reload(stream).map(Snapshot::revision).orElse(0L);
            if (read > 0) {
                storedRevisions.asMap().merge(stream, read, Math::max);
            }
            return read >= revision;
        }
        return false;
    }

    /**
     * Stream order: whether this projection has stored, for every stream whose state {@code other} stored lately (the
     * last 100 000 streams it stored), at least the revision {@code other} stored; a stream not stored lately here
     * is read from this projection's store. What a rebuild's new generation must cover before queries switch to it
     * from {@code other}, the live one. True when {@code other} keeps no per-stream states (aggregate views).
     *
     * @throws NullPointerException when {@code other} is null
     */
    public boolean storedAtLeast(Projection<?, ?> other) {
        requireNonNull(other, "other must not be null");
        for (Map.Entry<StreamId, Long> stored : other.storedRevisions.asMap().entrySet()) {
            if (!hasApplied(stored.getKey(), stored.getValue(), OptionalLong.empty(), true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Commits this process's projector has released that are not stored yet: how far behind the store it is, as far
     * as this process knows (commits other processes append count once their channel delivers them).
     */
    public long commitsBehind() {
        return Math.max(0, applied.sum() - storedCommits.sum() - discarded.sum());
    }

    /** Milliseconds since the projection last stored something, while it is behind; 0 when it is not. */
    public long lagMillis() {
        if (commitsBehind() == 0) {
            return 0;
        }
        long since = lastStoredNanos;
        return since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(clock.getAsLong() - since);
    }

    /** How long a fast commit ahead of its turn waits for the missing ones before they are read from the store. */
    public Duration gapWait() {
        return Duration.ofNanos(gapWaitNanos);
    }

    /** Global positions when the store has a global log, stream revisions otherwise. */
    public Ordering ordering() {
        return log.isPresent() ? Ordering.GLOBAL_POSITION : Ordering.STREAM_REVISION;
    }

    /** The checkpoint saved last, or where it was loaded from; empty before either. */
    public Optional<Checkpoint> savedCheckpoint() {
        return Optional.ofNullable(savedCheckpoint);
    }

    /**
     * Loads the saved checkpoint: where the durable channel resumes; for a document projection its skip list too.
     *
     * @throws IllegalStateException when the skip list stored is not one this version reads
     */
    public Optional<Checkpoint> loadCheckpoint() {
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            if (documents.isPresent()) {
                skipped = SkipList.decode(checkpoints.load(SkipList.key(name)));
            }
            Optional<Checkpoint> loaded = checkpoints.load(name);
            savedCheckpoint = loaded.orElse(null);
            return loaded;
        }
    }

    /**
     * The consumer for shard {@code index} of {@code count}: it projects the streams that {@link #shardOf} assigns
     * to it. With {@link Ordering#GLOBAL_POSITION} there is one shard only, and it saves the checkpoint itself.
     *
     * @param resumeFrom the loaded checkpoint, empty to start from the beginning
     */
    public ProjectionShard<E, S> shard(int index, int count, Optional<Checkpoint> resumeFrom) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
        if (ordering() == Ordering.GLOBAL_POSITION && count != 1) {
            throw new IllegalArgumentException("a projection in global order has one shard, not " + count);
        }
        return ordering() == Ordering.GLOBAL_POSITION
                ? new GlobalPositionGate<>(this, resumeFrom)
                : new StreamRevisionGate<>(this, index, count);
    }

    /**
     * The consumer that saves the durable channel's checkpoints of a projection by stream revision, after every
     * shard has stored its views.
     */
    public CheckpointKeeper checkpointKeeper() {
        if (ordering() != Ordering.STREAM_REVISION) {
            throw new IllegalStateException("a projection in global order saves its checkpoint with its views");
        }
        return new CheckpointKeeper(this);
    }

    /** Which of {@code count} shards projects {@code commit}'s stream. */
    public static int shardOf(RecordedCommit commit, int count) {
        return Math.floorMod(commit.stream().hashCode(), count);
    }

    /** Whether this projection keeps views for {@code commit}'s stream. */
    public boolean projects(RecordedCommit commit) {
        return fold.projects(commit);
    }

    /**
     * Global order: whether releasing {@code commit} changes anything anybody sees now. That is when this
     * projection keeps a view or document for its stream, when something {@linkplain #follow follows} what it
     * releases (the live feed's subscribers), or when the gate holds later commits until it comes. Otherwise the
     * commit only moves the position on, and the projector may take it with the next commit that does matter, or a
     * few milliseconds later. For any thread.
     *
     * @param commit not null
     */
    public boolean needsPromptly(RecordedCommit commit) {
        return fold.projects(commit) || !followers.isEmpty() || gapOpen;
    }

    /**
     * Sets what {@link #awaitApplied} runs before it waits, for a projector that may leave commits that do not
     * {@linkplain #needsPromptly need it promptly} for later: a reader waiting for a position wants them taken now.
     * Called on any thread; {@code wake} runs on the reader's thread and must not block.
     *
     * @param wake not null
     */
    public void wakeWith(Runnable wake) {
        this.wake = requireNonNull(wake, "wake must not be null");
    }

    public void addListener(ProjectionListener listener) {
        listeners.add(requireNonNull(listener, "listener must not be null"));
    }

    @Override
    public Subscription follow(ReleasedCommits.Listener listener) {
        requireNonNull(listener, "listener must not be null");
        followers.add(listener);
        return () -> followers.remove(listener);
    }

    /** Counts a fast-channel message that found the ring full. */
    public void recordDropped() {
        dropped.increment();
    }

    /** Commits applied to views. */
    public long applied() {
        return applied.sum();
    }

    /** Commits dropped by the gate because they had been released before (the other channel, a re-delivery). */
    public long duplicates() {
        return duplicates.sum();
    }

    /** Gaps the gate waited on: a commit arrived before one it must follow. */
    public long gapWaits() {
        return gapWaits.sum();
    }

    /** Commits read from the store because the gate did not get them in time (or at all) from the channels. */
    public long gapCommitsRead() {
        return gapCommitsRead.sum();
    }

    /** View writes that lost to another writer and were redone. */
    public long viewConflicts() {
        return viewConflicts.sum();
    }

    /** Fast-channel messages dropped because the ring was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Batches written: each is one view write per stream touched plus the checkpoint. */
    public long batches() {
        return batches.sum();
    }

    /** Store calls that failed for the store being unavailable and were retried. */
    public long storeRetries() {
        return storeRetries.sum();
    }

    /**
     * Runs a store call until the store answers: an outage stalls the projection, it never skips a commit. An
     * interrupt (the projector being stopped) ends the wait with the store's exception.
     */
    <T> T retrying(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StoreUnavailableException e) {
                storeRetries.increment();
                if (attempt == 1) {
                    LOG.log(Level.WARNING, "projection " + name + ": the store is unavailable (" + e.getMessage()
                            + "); retrying until it is back");
                }
                long pause = Math.min(retryBackoff.toMillis() * attempt, 5_000);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Paces saves of a checkpoint on its own: see {@link Builder#checkpointInterval}. Not thread-safe. */
    final class CheckpointPace {
        private long lastSave;
        private boolean savedOnce;

        /** Whether a checkpoint on its own may be saved now. */
        boolean due() {
            return nanosUntilDue() <= 0;
        }

        /** How long until {@link #due()}: 0 or less when it is now. */
        long nanosUntilDue() {
            return savedOnce ? lastSave + checkpointIntervalNanos - clock.getAsLong() : 0;
        }

        /** A checkpoint was saved now. */
        void saved() {
            lastSave = clock.getAsLong();
            savedOnce = true;
        }
    }

    /** Saves this projection's checkpoint, waiting out an outage. */
    void saveCheckpoint(Checkpoint checkpoint) {
        retrying(() -> {
            checkpoints.save(name, checkpoint);
            return null;
        });
    }

    /**
     * @param position the commit's own position as a checkpoint in global order; empty in stream order, where
     *                 followers get the last saved durable checkpoint instead
     */
    void released(RecordedCommit commit, Optional<Checkpoint> position, long nanoTime) {
        for (ProjectionListener listener : listeners) {
            listener.visible(commit, nanoTime);
        }
        Checkpoint id = position.orElse(savedCheckpoint);
        for (ReleasedCommits.Listener follower : followers) {
            try {
                follower.released(commit, id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a follower of projection " + name + " failed; ignored", e);
            }
        }
    }

    void stored(List<RecordedCommit> commits, long nanoTime) {
        storedCommits.add(commits.size());
        lastStoredNanos = nanoTime;
        for (ProjectionListener listener : listeners) {
            listener.stored(commits, nanoTime);
        }
    }

    void saved(Checkpoint checkpoint) {
        savedCheckpoint = checkpoint;
    }

    /** Settings of a projection; the defaults suit a service. */
    public static final class Builder<E, S> {
        private final String name;
        private final Function<Ordering, Fold<S>> fold;
        private final EventStore store;
        private final CachingViewStore<S> views;
        private final CheckpointStore checkpoints;
        private Optional<GlobalLog> log = Optional.empty();
        private Duration gapWait = Duration.ofNanos(500_000);
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration checkpointInterval = Duration.ofSeconds(1);
        private LongSupplier clock = System::nanoTime;
        private BiFunction<Integer, Duration, DocumentSink<E, S, ?>> sinkFactory;
        private DocumentSink<E, S, ?> sink;
        private int failureAttempts = 3;
        private Duration failureBackoff = Duration.ofMillis(200);

        private Builder(String name, Function<Ordering, Fold<S>> fold, EventStore store, CachingViewStore<S> views,
                        CheckpointStore checkpoints) {
            this.name = requireNonNull(name, "name must not be null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
            this.fold = fold;
            this.store = requireNonNull(store, "store must not be null");
            this.views = requireNonNull(views, "views must not be null");
            this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
        }

        /** The store's global order, when it has one: the gate then orders by position. */
        public Builder<E, S> globalLog(Optional<GlobalLog> log) {
            this.log = requireNonNull(log, "log must not be null");
            return this;
        }

        /**
         * How long a fast commit that arrived ahead of its turn waits for the missing ones before the gate reads
         * them from the store. Fast messages from concurrent appenders overtake each other by microseconds; a
         * message that was dropped, or an append by another process, is read after this wait.
         */
        public Builder<E, S> gapWait(Duration gapWait) {
            requireNonNull(gapWait, "gapWait must not be null");
            if (gapWait.isNegative()) {
                throw new IllegalArgumentException("gapWait must not be negative, was " + gapWait);
            }
            this.gapWait = gapWait;
            return this;
        }

        /** The pause before a store call that failed for the store being unavailable is tried again. */
        public Builder<E, S> retryBackoff(Duration retryBackoff) {
            requireNonNull(retryBackoff, "retryBackoff must not be null");
            if (retryBackoff.isNegative() || retryBackoff.isZero()) {
                throw new IllegalArgumentException("retryBackoff must be positive, was " + retryBackoff);
            }
            this.retryBackoff = retryBackoff;
            return this;
        }

        /**
         * How often, at most, a checkpoint is saved on its own: when a batch stored no view (a projection whose
         * category had no commit in it, or one that keeps no views) or in stream order, where the checkpoint is
         * saved apart from the views. A checkpoint that rides with views in one transaction is always saved with
         * them, and the last one is saved when the projector stops. Every projection of a process saving its own
         * checkpoint after every batch cost one store write (on PostgreSQL one fsync'd transaction) per batch per
         * projection; a checkpoint that is older by up to this interval only means re-reading, after a crash,
         * commits the gate then drops as duplicates. {@code Duration.ZERO}: after every batch. Default 1 s.
         */
        public Builder<E, S> checkpointInterval(Duration checkpointInterval) {
            requireNonNull(checkpointInterval, "checkpointInterval must not be null");
            if (checkpointInterval.isNegative()) {
                throw new IllegalArgumentException("checkpointInterval must not be negative, was "
                        + checkpointInterval);
            }
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        /** The time source for gap waits, {@link System#nanoTime()} by default; tests pass their own. */
        public Builder<E, S> clock(LongSupplier clock) {
            this.clock = requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * A projection into documents: how often a commit whose handler (or update, or document size) fails is
         * tried before the projection stops at it, and the pause before the first retry, doubled each time after.
         * Defaults: 3 attempts, 200 ms.
         *
         * @throws IllegalArgumentException when {@code attempts < 1} or {@code backoff} is negative
         */
        public Builder<E, S> failurePolicy(int attempts, Duration backoff) {
            requireNonNull(backoff, "backoff must not be null");
            if (attempts < 1 || backoff.isNegative()) {
                throw new IllegalArgumentException("attempts must be >= 1 and backoff not negative, were "
                        + attempts + " and " + backoff);
            }
            this.failureAttempts = attempts;
            this.failureBackoff = backoff;
            return this;
        }

        public Projection<E, S> build() {
            if (sinkFactory != null) {
                sink = sinkFactory.apply(failureAttempts, failureBackoff);
            }
            return new Projection<>(this);
        }
    }
}
