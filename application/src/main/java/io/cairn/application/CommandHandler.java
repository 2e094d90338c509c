package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Replayer.CatchUp;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Commit;
import io.cairn.domain.Decision;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Handles commands for one aggregate the way Cairn makes them cheap: the read model is the snapshot.
 *
 * <ol>
 *   <li>Load the state from the view, through the in-process cache the projector writes through. No view yet:
 *       load the snapshot (if any) and read the commits after it.</li>
 *   <li>Decide, and append the events with the view's revision as the expected revision: one conditional write.
 *       The hot path is one cache hit and that write.</li>
 *   <li>The view was stale ({@link WrongExpectedRevision}): read only the missing commits, fold them in, decide
 *       again and retry, up to {@link RetryPolicy#maxAttempts()} with jittered backoff, then fail with the
 *       conflict.</li>
 * </ol>
 *
 * <p><b>Idempotency.</b> The command id is the commit id, so the same command never appends twice:
 * <ul>
 *   <li>its commit landed but the answer was lost, and the view is still behind it: the append at the same
 *       revision is recognised by the store as a duplicate;</li>
 *   <li>the view is at or past it: the view remembers the ids of the last {@link Snapshot#IDEMPOTENCY_WINDOW}
 *       commits of its stream;</li>
 *   <li>the view is stale and the stream has moved on: the conflict's catch-up read meets the commit id.</li>
 * </ul>
 * It holds as long as fewer than {@link Snapshot#IDEMPOTENCY_WINDOW} other commits landed on the stream between
 * the original and the retry <em>and</em> the view has applied them; a retry later than that is decided afresh.
 *
 * <p><b>Its own last write.</b> Right after an append the view is, for a moment, one commit behind it: the projector
 * has not applied what the fast channel just brought. A second command on the same stream in that moment would
 * append at a stale revision, lose, read the commit back and append again. So the handler keeps the state each of
 * its appends produced (the same fold the projector runs) until the view has caught up with it, and starts from
 * whichever of the two is newer. It is a hint like the view: the conditional append still decides, and a commit
 * of another process is still caught up by the conflict. At most {@value #OWN_WRITES_LIMIT} streams are remembered.
 *
 * <p>Without a view, a snapshot is written (off the acknowledgement path, on {@code snapshotExecutor}) when the
 * bytes read since the last snapshot exceed the new snapshot's own size.
 *
 * <p>Thread-safe: any number of threads may handle commands at once.
 */
public final class CommandHandler<C, E, S> {

    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());
    /** Streams whose last own write the handler remembers at most; beyond it, it forgets them all. */
    static final int OWN_WRITES_LIMIT = 4_096;
    /** The commit metadata key naming the command's type. */
    public static final String COMMAND_KEY = "command";

    private final Aggregate<C, E, S> aggregate;
    private final EventCodec<E> codec;
    private final Replayer<E, S> replayer;
    private final EventStore store;
    private final ViewStore<S> views;
    private final SnapshotStore<S> snapshots;
    private final StateCodec<S> stateCodec;
    private final Executor snapshotExecutor;
    private final FastChannel fastChannel;
    private final RetryPolicy retryPolicy;

    /** Per stream, the state its last append by this handler produced, while the view is behind it. */
    private final ConcurrentHashMap<StreamId, Snapshot<S>> ownWrites = new ConcurrentHashMap<>();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong commitsCaughtUp = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong snapshotsWritten = new AtomicLong();

    private CommandHandler(Builder<C, E, S> b) {
        this.aggregate = requireNonNull(b.aggregate, "aggregate must not be null");
        this.codec = requireNonNull(b.codec, "codec must not be null");
        this.store = requireNonNull(b.store, "store must not be null");
        this.views = requireNonNull(b.views, "views must not be null");
        this.fastChannel = requireNonNull(b.fastChannel, "fastChannel must not be null");
        this.retryPolicy = requireNonNull(b.retryPolicy, "retryPolicy must not be null");
        this.snapshots = b.snapshots;
        this.stateCodec = b.stateCodec;
        this.snapshotExecutor = b.snapshotExecutor;
        this.replayer = new Replayer<>(aggregate, codec);
    }

    public static <C, E, S> Builder<C, E, S> builder(Aggregate<C, E, S> aggregate, EventCodec<E> codec, EventStore store) {
        return new Builder<>(aggregate, codec, store);
    }

    /**
     * Handles one command on the aggregate {@code id}.
     *
     * @param id        the aggregate's id within its category; its stream is {@code category-id}
     * @param commandId the idempotency key, used as the commit id
     * @param command   not null
     * @return accepted with the stream's revision, or rejected by a business rule (nothing appended)
     * @throws WrongExpectedRevision when other writers kept winning for {@code maxAttempts} attempts
     * @throws io.cairn.domain.InvalidInputException for an invalid id
     * @throws io.cairn.application.port.CommitTooLargeException when the decided events do not fit one commit
     * @throws io.cairn.application.port.StoreUnavailableException when the store cannot be reached; retrying with
     *         the same command id is safe
     */
    public CommandOutcome handle(String id, UUID commandId, C command) {
        return handle(id, commandId, command, Map.of());
    }

    /**
     * As {@link #handle(String, UUID, Object)}, with {@code metadata} added to the commit's metadata, e.g. who sent
     * the command ({@code principal}); the handler adds {@value #COMMAND_KEY}, the command's type.
     *
     * @param metadata not null; must not hold the key {@value #COMMAND_KEY}
     * @throws IllegalArgumentException when {@code metadata} holds {@value #COMMAND_KEY}
     */
    public CommandOutcome handle(String id, UUID commandId, C command, Map<String, String> metadata) {
        requireNonNull(commandId, "commandId must not be null");
        requireNonNull(command, "command must not be null");
        requireNonNull(metadata, "metadata must not be null");
        if (metadata.containsKey(COMMAND_KEY)) {
            throw new IllegalArgumentException("the commit metadata key '" + COMMAND_KEY + "' is the handler's");
        }
        StreamId stream = aggregate.streamOf(id);
        try (Purpose.Scope ignored = Purpose.COMMAND.enter()) {
            return handle(stream, commandId, command, metadata);
        }
    }

    private CommandOutcome handle(StreamId stream, UUID commandId, C command, Map<String, String> metadata) {
        Loaded<S> loaded = load(stream, commandId);
        if (loaded.seenAt.isPresent()) {
            return replayed(stream, loaded.seenAt.getAsLong());
        }
        Snapshot<S> current = loaded.snapshot;
        long bytesSinceSnapshot = loaded.bytesRead;
        boolean latestKnown = !loaded.fromView;
        for (int attempt = 1; ; attempt++) {
            Decision<E> decision = aggregate.decide(command, current.state());
            List<E> events = decision instanceof Decision.Accepted<E> accepted ? accepted.events() : List.of();
            if (events.isEmpty()) {
                // A rejection (or a no-op) appends nothing, so no conditional write would tell us that the view
                // was stale: make sure it is not before answering, at the price of one read on this rare path.
                if (!latestKnown) {
                    latestKnown = true;
                    CatchUp<S> caughtUp = catchUp(current, commandId);
                    if (caughtUp.watched().isPresent()) {
                        return replayed(stream, caughtUp.watched().getAsLong());
                    }
                    if (caughtUp.commitsRead() > 0) {
                        current = caughtUp.snapshot();
                        attempt--;
                        continue;
                    }
                }
                if (decision instanceof Decision.Rejected<E> rejected) {
                    return new CommandOutcome.Rejected(stream, rejected.rejection());
                }
                return new CommandOutcome.Accepted(stream, current.revision(), false);
            }
            try {
                AppendResult result = store.append(stream, ExpectedRevision.exactly(current.revision()),
                        commitOf(commandId, command, events, metadata));
                fastChannel.publish(result.commit());
                if (result.duplicate()) {
                    replays.incrementAndGet();
                } else if (!loaded.fromView) {
                    maybeSnapshot(replayer.apply(current, events, commandId), bytesSinceSnapshot);
                } else {
                    remember(replayer.apply(current, events, commandId));
                }
                return new CommandOutcome.Accepted(stream, result.revision(), result.duplicate());
            } catch (WrongExpectedRevision conflict) {
                conflicts.incrementAndGet();
                if (attempt >= retryPolicy.maxAttempts()) {
                    throw conflict;
                }
                pause(retryPolicy.delayNanosBefore(attempt + 1));
                CatchUp<S> caughtUp = catchUp(current, commandId);
                if (caughtUp.watched().isPresent()) {
                    return replayed(stream, caughtUp.watched().getAsLong());
                }
                current = caughtUp.snapshot();
                latestKnown = true;
                bytesSinceSnapshot += caughtUp.bytesRead();
            }
        }
    }

    /** Appends that lost to another writer (or to a stale view). */
    public long conflicts() {
        return conflicts.get();
    }

    /** Commits read to catch up after conflicts. */
    public long commitsCaughtUp() {
        return commitsCaughtUp.get();
    }

    /** Commands recognised as handled before. */
    public long replays() {
        return replays.get();
    }

    /** Snapshots the policy wrote. */
    public long snapshotsWritten() {
        return snapshotsWritten.get();
    }

    private Loaded<S> load(StreamId stream, UUID commandId) {
        var view = views.get(stream);
        if (view.isPresent()) {
            Snapshot<S> newest = view.get();
            Snapshot<S> own = ownWrites.get(stream);
            if (own != null && own.revision() > newest.revision()) {
                newest = own;
            } else if (own != null) {
                ownWrites.remove(stream, own); // the view has caught up with it
            }
            return new Loaded<>(newest, 0, true, newest.revisionOf(commandId));
        }
        Snapshot<S> base = snapshots == null ? null : snapshots.load(stream).orElse(null);
        if (base == null) {
            base = Snapshot.initial(stream, aggregate.initialState());
        }
        CatchUp<S> caughtUp = replayer.catchUp(store, base, commandId);
        OptionalLong seen = caughtUp.watched().isPresent() ? caughtUp.watched() : base.revisionOf(commandId);
        return new Loaded<>(caughtUp.snapshot(), caughtUp.bytesRead(), false, seen);
    }

    /** Remembers the state an append of a view-loaded command produced, unless a newer one is remembered. */
    private void remember(Snapshot<S> next) {
        if (ownWrites.size() >= OWN_WRITES_LIMIT) {
            ownWrites.clear(); // a hint only: forgetting costs at most one conflict per stream
        }
        ownWrites.merge(next.stream(), next, (known, mine) -> known.revision() >= mine.revision() ? known : mine);
    }

    /** Reads the commits the state is missing, counting them, and looks out for the command's own commit. */
    private CatchUp<S> catchUp(Snapshot<S> current, UUID commandId) {
        CatchUp<S> caughtUp = replayer.catchUp(store, current, commandId);
        commitsCaughtUp.addAndGet(caughtUp.commitsRead());
        return caughtUp;
    }

    private CommandOutcome replayed(StreamId stream, long revision) {
        replays.incrementAndGet();
        return new CommandOutcome.Accepted(stream, revision, true);
    }

    private Commit commitOf(UUID commandId, C command, List<E> events, Map<String, String> metadata) {
        List<EventData> data = new ArrayList<>(events.size());
        for (E event : events) {
            data.add(codec.encode(event));
        }
        Map<String, String> all = new HashMap<>(metadata);
        all.put(COMMAND_KEY, command.getClass().getSimpleName());
        return new Commit(commandId, data, all);
    }

    private void maybeSnapshot(Snapshot<S> next, long bytesSinceSnapshot) {
        if (snapshots == null || bytesSinceSnapshot == 0) {
            return;
        }
        try {
            snapshotExecutor.execute(() -> writeSnapshotIfWorthIt(next, bytesSinceSnapshot));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "snapshot writer busy or stopped; skipping " + next.stream());
        }
    }

    /** Runs on the snapshot executor, off the acknowledgement path: even encoding the state to measure it. */
    private void writeSnapshotIfWorthIt(Snapshot<S> next, long bytesSinceSnapshot) {
        try (Purpose.Scope ignored = Purpose.SNAPSHOT.enter()) {
            long size = stateCodec.encode(next.state()).getBytes(StandardCharsets.UTF_8).length;
            if (bytesSinceSnapshot > size && snapshots.save(next)) {
                snapshotsWritten.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // a snapshot only saves reading; the next command without a view will try again
            LOG.log(Level.WARNING, "snapshot of " + next.stream() + "@" + next.revision() + " failed", e);
        }
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private record Loaded<S>(Snapshot<S> snapshot, long bytesRead, boolean fromView, OptionalLong seenAt) {
    }

    /** Assembles a {@link CommandHandler}. */
    public static final class Builder<C, E, S> {
        private final Aggregate<C, E, S> aggregate;
        private final EventCodec<E> codec;
        private final EventStore store;
        private ViewStore<S> views;
        private SnapshotStore<S> snapshots;
        private StateCodec<S> stateCodec;
        private Executor snapshotExecutor;
        private FastChannel fastChannel;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

        private Builder(Aggregate<C, E, S> aggregate, EventCodec<E> codec, EventStore store) {
            this.aggregate = aggregate;
            this.codec = codec;
            this.store = store;
        }

        /** The views to use as snapshots; pass the {@link CachingViewStore} the projector writes through. */
        public Builder<C, E, S> views(ViewStore<S> views) {
            this.views = views;
            return this;
        }

        /** Enables the snapshot policy for streams without a view; snapshots are written on {@code executor}. */
        public Builder<C, E, S> snapshots(SnapshotStore<S> snapshots, StateCodec<S> stateCodec, Executor executor) {
            this.snapshots = requireNonNull(snapshots, "snapshots must not be null");
            this.stateCodec = requireNonNull(stateCodec, "stateCodec must not be null");
            this.snapshotExecutor = requireNonNull(executor, "executor must not be null");
            return this;
        }

        /** Where appended commits are published for projectors, right after the store acknowledges them. */
        public Builder<C, E, S> fastChannel(FastChannel fastChannel) {
            this.fastChannel = fastChannel;
            return this;
        }

        public Builder<C, E, S> retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public CommandHandler<C, E, S> build() {
            return new CommandHandler<>(this);
        }
    }
}
