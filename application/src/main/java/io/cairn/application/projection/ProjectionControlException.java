package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Why a {@link ProjectionControl} operation was refused; nothing was changed. */
public final class ProjectionControlException extends RuntimeException {

    /** The reasons, each its own answer. */
    public enum Refusal {
        /** No projection of that name runs here. */
        UNKNOWN_PROJECTION,
        /** The projection runs: there is nothing to retry or skip. */
        NOT_STOPPED,
        /** The projection's kind never skips a commit (an aggregate's views, the live feed). */
        SKIP_NOT_ALLOWED,
        /** This server cannot do it at all. */
        NOT_SUPPORTED
    }

    private final Refusal refusal;
    private final String projection;
    private final transient Optional<ProjectionCatalog.Kind> kind;

    /**
     * @param kind the projection's kind, when it exists
     */
    public ProjectionControlException(Refusal refusal, String projection, Optional<ProjectionCatalog.Kind> kind,
                                      String message) {
        super(message, null, false, false);
        this.refusal = requireNonNull(refusal, "refusal must not be null");
        this.projection = requireNonNull(projection, "projection must not be null");
        this.kind = requireNonNull(kind, "kind must not be null");
    }

    public Refusal refusal() {
        return refusal;
    }

    /** The projection's name, as asked for. */
    public String projection() {
        return projection;
    }

    /** The projection's kind, empty when there is no such projection (or the server cannot tell). */
    public Optional<ProjectionCatalog.Kind> kind() {
        return kind;
    }
}
