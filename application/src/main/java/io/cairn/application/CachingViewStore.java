package io.cairn.application;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import java.util.List;
import io.cairn.domain.StreamId;
import java.util.Optional;

/**
 * An in-process, size-bounded cache in front of a {@link ViewStore}: the stand-in for DynamoDB's DAX. The projector
 * writes through it, so the command handler's next read of a view it just moved is a cache hit. The cache never
 * goes backwards: an older view read from the store does not replace a newer one cached.
 *
 * <p>The cache may run ahead of the store, but only with committed truth: the projector {@link #show shows} a view
 * as soon as it has applied a stored commit, and writes it to the store at the end of its batch. A reader then sees
 * the state of commits the event store holds, a little before the view store holds it too.
 */
public sealed class CachingViewStore<S> implements ViewStore<S> permits CachingViewStore.Transactional {

    private final ViewStore<S> store;
    private final Cache<StreamId, Snapshot<S>> cache;

    /**
     * A cache in front of {@code store}; a {@link TransactionalViewStore} itself when {@code store} is one, so that
     * a projector writing through the cache still commits its views and checkpoint together.
     */
    public static <S> CachingViewStore<S> over(ViewStore<S> store, long maximumSize) {
        return store instanceof TransactionalViewStore<S> transactional
                ? new Transactional<>(transactional, maximumSize)
                : new CachingViewStore<>(store, maximumSize);
    }

    private CachingViewStore(ViewStore<S> store, long maximumSize) {
        this.store = requireNonNull(store, "store must not be null");
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).recordStats().build();
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        Snapshot<S> cached = cache.getIfPresent(stream);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Snapshot<S>> stored = store.get(stream);
        stored.ifPresent(this::remember);
        return stored;
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        boolean written = store.put(view, replacing);
        if (written) {
            remember(view);
        } else {
            // someone else moved the view: whatever we hold may be stale, so read it afresh next time
            cache.invalidate(view.stream());
        }
        return written;
    }

    /** {@link #put} of each write, through the store's own {@link ViewStore#putEach} (concurrent where it is). */
    @Override
    public List<Boolean> putEach(List<ViewWrite<S>> writes) {
        List<Boolean> written = store.putEach(writes);
        for (int i = 0; i < writes.size(); i++) {
            if (written.get(i)) {
                remember(writes.get(i).view());
            } else {
                cache.invalidate(writes.get(i).view().stream());
            }
        }
        return written;
    }

    /** Deletes every view of the store behind, and forgets what is cached. */
    @Override
    public void deleteAll() {
        store.deleteAll();
        cache.invalidateAll();
    }

    /**
     * Makes {@code view} visible to readers at once, ahead of the store: for a projector that has applied stored
     * commits and writes the view with {@link #put} shortly. A view older than the cached one is ignored.
     */
    public void show(Snapshot<S> view) {
        remember(requireNonNull(view, "view must not be null"));
    }

    /** The view as the store holds it, bypassing (and refreshing) the cache: what a lost compare-and-set rereads. */
    public Optional<Snapshot<S>> reload(StreamId stream) {
        cache.invalidate(stream);
        return get(stream);
    }

    /**
     * Forgets every cached view: the next read of each goes to the store. For a projection that stopped with views
     * shown that it will never store, before it runs again.
     */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** Cache hits so far. */
    public long hits() {
        return cache.stats().hitCount();
    }

    /** Cache misses so far. */
    public long misses() {
        return cache.stats().missCount();
    }

    private void remember(Snapshot<S> view) {
        cache.asMap().merge(view.stream(), view, (old, fresh) -> fresh.revision() > old.revision() ? fresh : old);
    }

    /** The cache in front of a {@link TransactionalViewStore}: remembers what a committed {@link #putAll} wrote. */
    public static final class Transactional<S> extends CachingViewStore<S> implements TransactionalViewStore<S> {

        private final TransactionalViewStore<S> store;

        private Transactional(TransactionalViewStore<S> store, long maximumSize) {
            super(store, maximumSize);
            this.store = store;
        }

        @Override
        public boolean putAll(List<ViewWrite<S>> writes, String projection, Checkpoint checkpoint) {
            boolean written = store.putAll(writes, projection, checkpoint);
            for (ViewWrite<S> write : writes) {
                if (written) {
                    super.remember(write.view());
                } else {
                    super.cache.invalidate(write.view().stream());
                }
            }
            return written;
        }

        @Override
        public CheckpointStore checkpoints() {
            return store.checkpoints();
        }
    }
}
