package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every projection a Cairn runs, by name and kind: what {@code GET /projections} shows and {@code /views} reads.
 * Immutable and thread-safe.
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

    /** One projection and its kind. */
    public record Entry(Kind kind, Projection<?, ?> projection) {
        public Entry {
            requireNonNull(kind, "kind must not be null");
            requireNonNull(projection, "projection must not be null");
        }
    }

    private final Map<String, Entry> byName = new LinkedHashMap<>();

    /**
     * @param entries every projection, each name once
     * @throws IllegalArgumentException when two projections share a name
     */
    public ProjectionCatalog(List<Entry> entries) {
        for (Entry entry : requireNonNull(entries, "entries must not be null")) {
            if (byName.putIfAbsent(entry.projection().name(), entry) != null) {
                throw new IllegalArgumentException("two projections are named " + entry.projection().name());
            }
        }
    }

    /** An empty catalog, for a server that runs no projections of its own. */
    public static ProjectionCatalog empty() {
        return new ProjectionCatalog(List.of());
    }

    /** Every projection, in the order given. */
    public List<Entry> all() {
        return List.copyOf(byName.values());
    }

    /** The projection named {@code name}, whatever its kind; empty when there is none. */
    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The document projection named {@code name}, empty when there is none. */
    public Optional<Projection<?, ?>> documents(String name) {
        Entry entry = byName.get(name);
        return entry != null && entry.kind() == Kind.DOCUMENTS ? Optional.of(entry.projection()) : Optional.empty();
    }
}
