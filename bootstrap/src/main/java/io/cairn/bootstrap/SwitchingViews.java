package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.application.CachingViewStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StreamId;
import java.util.List;
import java.util.Optional;

/**
 * The views an aggregate's command handler and queries read: those of the generation that is active, behind one
 * volatile reference that a rebuild's switch replaces. A read goes to the old generation or to the new one, never
 * to a mix. Thread-safe.
 */
final class SwitchingViews<S> implements ViewStore<S> {

    private volatile CachingViewStore<S> current;

    SwitchingViews(CachingViewStore<S> first) {
        this.current = requireNonNull(first, "first must not be null");
    }

    CachingViewStore<S> current() {
        return current;
    }

    void switchTo(CachingViewStore<S> next) {
        this.current = requireNonNull(next, "next must not be null");
    }

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        return current.get(stream);
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        return current.put(view, replacing);
    }

    @Override
    public List<Boolean> putEach(List<ViewWrite<S>> writes) {
        return current.putEach(writes);
    }

    @Override
    public void deleteAll() {
        current.deleteAll();
    }
}
