package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Rebuilding projections without downtime: what {@code POST /projections/{name}/rebuild} asks and what
 * {@code GET /projections} shows of generations. A rebuild builds a new {@link GenerationRecord generation} of a
 * document projection or an aggregate's views from the start of history beside the one queries read, switches
 * queries to it atomically once it has caught up, then deletes the old one. The live feed cannot be rebuilt: it
 * keeps no state, and its effects are deliveries to clients, which must never be made twice. Thread-safe.
 */
public interface ProjectionRebuilds {

    /** What a rebuild request came to. */
    sealed interface Requested permits Started, UnknownProjection, InProgress, NotRebuildable {
    }

    /** A rebuild of {@code projection} into {@code generation} at {@code version} has started. */
    record Started(String projection, int generation, int version) implements Requested {
        public Started {
            requireNonNull(projection, "projection must not be null");
        }
    }

    /** No projection is named so. */
    record UnknownProjection(String projection) implements Requested {
        public UnknownProjection {
            requireNonNull(projection, "projection must not be null");
        }
    }

    /** A rebuild of {@code projection} into {@code generation} is already under way (or stopped at a commit). */
    record InProgress(String projection, int generation) implements Requested {
        public InProgress {
            requireNonNull(projection, "projection must not be null");
        }
    }

    /** {@code projection} cannot be rebuilt, for the reason given. */
    record NotRebuildable(String projection, String reason) implements Requested {
        public NotRebuildable {
            requireNonNull(projection, "projection must not be null");
            requireNonNull(reason, "reason must not be null");
        }
    }

    /**
     * How a rebuild is getting on.
     *
     * @param generation    the generation being built
     * @param version       the projection's version it is built with
     * @param stopped       whether the new generation stopped at a commit it could not apply ({@code failure})
     * @param done          commits the new generation has gone through (global order: its applied position)
     * @param total         the commits the store holds, when known (the log's head on PostgreSQL and in memory;
     *                      DynamoDB's approximate item count of the events table)
     * @param ratePerSecond commits a second over the last seconds, 0 before two samples
     * @param etaSeconds    at that rate, until {@code done} reaches {@code total}; empty without either
     * @param startedAt     when the rebuild first started
     * @param failure       where a stopped generation stopped
     */
    record Progress(int generation, int version, boolean stopped, long done, OptionalLong total,
                    double ratePerSecond, OptionalDouble etaSeconds, Instant startedAt,
                    Optional<ProjectionFailure> failure) {
        public Progress {
            requireNonNull(total, "total must not be null");
            requireNonNull(etaSeconds, "etaSeconds must not be null");
            requireNonNull(startedAt, "startedAt must not be null");
            requireNonNull(failure, "failure must not be null");
        }
    }

    /**
     * The generations of one projection.
     *
     * @param generation the generation queries read
     * @param version    the projection's registered version (an aggregate view's: its state schema version)
     * @param rebuild    the rebuild under way or stopped; empty when none
     */
    record Status(int generation, int version, Optional<Progress> rebuild) {
        public Status {
            requireNonNull(rebuild, "rebuild must not be null");
        }
    }

    /** Whether this process can rebuild at all; false for {@link #unsupported()}, which HTTP answers 501. */
    default boolean supported() {
        return true;
    }

    /**
     * Starts rebuilding {@code projection}: a new generation from the start of history at its registered version,
     * beside the one queries keep reading. Returns at once; the switch happens once it has caught up.
     *
     * @param projection a name {@code GET /projections} lists, not null
     * @return started, or why not
     * @throws io.cairn.application.port.StoreUnavailableException when the generation record cannot be saved
     */
    Requested rebuild(String projection);

    /** The generations of {@code projection}; empty for one that has none (the live feed, an unknown name). */
    Optional<Status> status(String projection);

    /** No rebuilds: a server without generations (every projection reads as generation 1, version 1). */
    static ProjectionRebuilds unsupported() {
        return new ProjectionRebuilds() {
            @Override
            public boolean supported() {
                return false;
            }

            @Override
            public Requested rebuild(String projection) {
                return new NotRebuildable(projection, "this server does not rebuild projections");
            }

            @Override
            public Optional<Status> status(String projection) {
                return Optional.empty();
            }
        };
    }
}
