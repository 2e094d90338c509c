package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.application.port.ViewStores;
import io.cairn.domain.StreamId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Views in a concurrent map; a put is an atomic compare-and-set on revision. */
public final class InMemoryViewStore<S> implements ViewStore<S> {

    private final ConcurrentMap<StreamId, Snapshot<S>> views = new ConcurrentHashMap<>();

    @Override
    public Optional<Snapshot<S>> get(StreamId stream) {
        return Optional.ofNullable(views.get(requireNonNull(stream, "stream must not be null")));
    }

    @Override
    public boolean put(Snapshot<S> view, long replacing) {
        requireNonNull(view, "view must not be null");
        ViewStores.checkReplacing(view, replacing);
        AtomicBoolean written = new AtomicBoolean();
        views.compute(view.stream(), (stream, old) -> {
            long stored = old == null ? 0 : old.revision();
            if (stored != replacing) {
                return old;
            }
            written.set(true);
            return view;
        });
        return written.get();
    }

    @Override
    public void deleteAll() {
        views.clear();
    }
}
