package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every projection a Cairn runs, by name and kind: what {@code GET /projections} shows and {@code /views} reads.
 * Thread-safe: the entries are one immutable map behind a volatile reference, so {@link #replace} (a rebuild's
 * switch to its new generation) is one reference swap, and a reader that looked a projection up once reads either
 * the old generation or the new one, never a mix.
 */
public final class ProjectionCatalog {

    /** What a projection keeps. */
    public enum Kind {
        /** An aggregate's views: its state per stream, the command handler's snapshot. */
        AGGREGATE_VIEW,
        /** Documents of a domain's document projection. */
        DOCUMENTS,
        /** Nothing but how far it got: the live feed's projection of every commit. */
        LIVE_FEED
    }

    /**
     * One projection and its kind.
     *
     * @param name the name it is listed and looked up by: the projection's own name for generation 1, while the
     *             projection of a later generation stores under a derived name ({@link GenerationRecord#storageName})
     */
    public record Entry(Kind kind, Projection<?, ?> projection, String name) {
        public Entry {
            requireNonNull(kind, "kind must not be null");
            requireNonNull(projection, "projection must not be null");
            requireNonNull(name, "name must not be null");
        }

        /** An entry listed under the projection's own name. */
        public Entry(Kind kind, Projection<?, ?> projection) {
            this(kind, projection, requireNonNull(projection, "projection must not be null").name());
        }
    }

    private volatile Map<String, Entry> byName;

    /**
     * @param entries every projection, each name once
     * @throws IllegalArgumentException when two projections share a name
     */
    public ProjectionCatalog(List<Entry> entries) {
        Map<String, Entry> named = new LinkedHashMap<>();
        for (Entry entry : requireNonNull(entries, "entries must not be null")) {
            if (named.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("two projections are named " + entry.name());
            }
        }
        this.byName = named;
    }

    /** An empty catalog, for a server that runs no projections of its own. */
    public static ProjectionCatalog empty() {
        return new ProjectionCatalog(List.of());
    }

    /** Every projection, in the order given. */
    public List<Entry> all() {
        return List.copyOf(byName.values());
    }

    /** The projection listed as {@code name}, empty when there is none. */
    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(requireNonNull(name, "name must not be null")));
    }

    /** The document projection named {@code name}, empty when there is none. */
    public Optional<Projection<?, ?>> documents(String name) {
        Entry entry = byName.get(name);
        return entry != null && entry.kind() == Kind.DOCUMENTS ? Optional.of(entry.projection()) : Optional.empty();
    }

    /**
     * Lists {@code projection} as {@code name} in place of the projection listed so until now (same kind, same
     * place): a rebuild's switch. One reference swap.
     *
     * @throws IllegalArgumentException when nothing is listed as {@code name}
     */
    public synchronized void replace(String name, Projection<?, ?> projection) {
        requireNonNull(projection, "projection must not be null");
        Entry old = byName.get(requireNonNull(name, "name must not be null"));
        if (old == null) {
            throw new IllegalArgumentException("no projection is listed as " + name);
        }
        Map<String, Entry> next = new LinkedHashMap<>(byName);
        next.put(name, new Entry(old.kind(), projection, name));
        byName = next;
    }
}
