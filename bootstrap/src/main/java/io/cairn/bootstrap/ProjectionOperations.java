package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionControl;
import io.cairn.application.projection.ProjectionControlException;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.ProjectionControlException.Refusal;
import io.cairn.application.projection.SkippedCommit;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry and skip on this process's projectors: a stopped projection's projector is stopped, the projection made
 * ready ({@link Projection#resume}) and a new ring started from its saved checkpoint. After a rebuild's switch the
 * projection queries read is the new generation's, whose projector the {@link Rebuilds} run. Serialised: one operation at a
 * time, so two operators cannot both act on one stop. Thread-safe.
 */
final class ProjectionOperations implements ProjectionControl {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionOperations.class);

    private final ProjectionCatalog catalog;
    private final Projectors projectors;
    private final Rebuilds rebuilds;
    private final Clock clock;

    /**
     * @param projectors the projectors started with the process: the first generation of every projection
     * @param rebuilds   where the projector of a generation switched to since start runs
     */
    ProjectionOperations(ProjectionCatalog catalog, Projectors projectors, Rebuilds rebuilds, Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog must not be null");
        this.projectors = requireNonNull(projectors, "projectors must not be null");
        this.rebuilds = requireNonNull(rebuilds, "rebuilds must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
    }

    @Override
    public synchronized void retry(String name) {
        ProjectionCatalog.Entry entry = stopped(name);
        restart(entry);
        LOG.info("projection {} retried: it runs again from its checkpoint", name);
    }

    @Override
    public synchronized SkippedCommit skip(String name) {
        ProjectionCatalog.Entry entry = known(name);
        if (entry.kind() != ProjectionCatalog.Kind.DOCUMENTS) { // whether it runs or not: it never skips
            throw new ProjectionControlException(Refusal.SKIP_NOT_ALLOWED, name, Optional.of(entry.kind()),
                    entry.kind() == ProjectionCatalog.Kind.AGGREGATE_VIEW
                            ? "projection " + name + " holds an aggregate's views, the command handler's snapshots: a "
                            + "view that missed a commit would make commands decide on a wrong state; fix the code "
                            + "and retry instead"
                            : "the live feed never skips a commit: its clients would miss it; retry instead");
        }
        stopped(name);
        SkippedCommit skipped = entry.projection().skip(clock.instant()); // saved before the restart
        LOG.warn("projection {} skips {}@{} ({}); it runs again from its checkpoint", name, skipped.stream(),
                skipped.revision(), skipped.error());
        restart(entry);
        return skipped;
    }

    private ProjectionCatalog.Entry known(String name) {
        requireNonNull(name, "name must not be null");
        return catalog.entry(name).orElseThrow(() -> new ProjectionControlException(
                Refusal.UNKNOWN_PROJECTION, name, Optional.empty(), "no projection is named '" + name + "'"));
    }

    private ProjectionCatalog.Entry stopped(String name) {
        ProjectionCatalog.Entry entry = known(name);
        if (entry.projection().failure() == null) {
            throw new ProjectionControlException(Refusal.NOT_STOPPED, name, Optional.of(entry.kind()),
                    "projection " + name + " is not stopped");
        }
        return entry;
    }

    private void restart(ProjectionCatalog.Entry entry) {
        Projection<?, ?> projection = entry.projection();
        ProjectionFailure stoppedAt = projection.failure();
        boolean restarted;
        try {
            // a generation switched to since start runs under the rebuilds; any other is one of the first projectors
            Optional<Boolean> rebuilt = rebuilds.restartLive(projection, projection::resume);
            restarted = rebuilt.isPresent() ? rebuilt.get() : projectors.restart(projection, projection::resume);
        } catch (RuntimeException e) { // it could not start again: stopped where it was, to be retried later
            projection.reinstate(stoppedAt);
            throw e;
        }
        if (!restarted) {
            throw new ProjectionControlException(Refusal.NOT_SUPPORTED, projection.name(), Optional.of(entry.kind()),
                    "the projectors of this server are not running");
        }
    }
}
