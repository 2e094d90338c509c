package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an operator does to the projections a process runs: start a stopped one again ({@link #retry}) or skip the
 * commit a stopped document projection stopped at ({@link #skip}). Acts on this process's projectors; thread-safe.
 */
public interface ProjectionControl {

    /**
     * Starts the stopped projection {@code name} again from its saved checkpoint: the commit it stopped at is tried
     * again with the current code, and everything after it, each exactly once. If it fails again it stops again.
     *
     * @throws NullPointerException          when {@code name} is null
     * @throws ProjectionControlException    {@code UNKNOWN_PROJECTION}, {@code NOT_STOPPED} (it runs), or
     *                                       {@code NOT_SUPPORTED}
     * @throws io.cairn.application.port.StoreUnavailableException when its checkpoint cannot be read
     */
    void retry(String name);

    /**
     * Skips the commit the stopped document projection {@code name} stopped at (see {@link Projection#skip}) and
     * starts it again: the skip is saved before the restart.
     *
     * @return the commit skipped, as its skip list keeps it
     * @throws NullPointerException          when {@code name} is null
     * @throws ProjectionControlException    {@code UNKNOWN_PROJECTION}, {@code NOT_STOPPED}, {@code SKIP_NOT_ALLOWED}
     *                                       (an aggregate's views or the live feed), or {@code NOT_SUPPORTED}
     * @throws io.cairn.application.port.StoreUnavailableException when the skip list cannot be saved; nothing is
     *                                       skipped then
     */
    SkippedCommit skip(String name);

    /** A control that refuses everything with {@code NOT_SUPPORTED}: for a server that runs no projectors. */
    static ProjectionControl unsupported() {
        return new ProjectionControl() {
            @Override
            public void retry(String name) {
                throw new ProjectionControlException(ProjectionControlException.Refusal.NOT_SUPPORTED,
                        requireNonNull(name, "name must not be null"), Optional.empty(),
                        "this server runs no projectors it can retry");
            }

            @Override
            public SkippedCommit skip(String name) {
                throw new ProjectionControlException(ProjectionControlException.Refusal.NOT_SUPPORTED,
                        requireNonNull(name, "name must not be null"), Optional.empty(),
                        "this server runs no projectors it can skip a commit of");
            }
        };
    }
}
