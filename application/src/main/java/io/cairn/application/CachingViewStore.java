package io.cairn.application;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.StreamId;
import java.util.Optional;

/**
 * An in-process, size-bounded cache in front of a {@link ViewStore}: the stand-in for DynamoDB's DAX. The projector
 * writes through it, so the command handler's next read of a view it just moved is a cache hit. The cache only
 * ever holds what the store accepted, and it never goes backwards: an older view read from the store does not
 * replace a newer one cached.
 */
public final class CachingViewStore<S> implements ViewStore<S> {

    private final ViewStore<S> store;
    private final Cache<StreamId, Snapshot<S>> cache;

    public CachingViewStore(ViewStore<S> store, long maximumSize) {
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
}
