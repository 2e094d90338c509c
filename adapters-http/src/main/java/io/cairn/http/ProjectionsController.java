package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.SkippedCommit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.cairn.application.projection.ProjectionRebuilds;
import io.javalin.http.Context;

/**
 * {@code GET /projections} → 200 {@code {"projections":[{"name","kind","follows","ordering","checkpoint",
 * "commitsBehind","lagMillis","state","failure"?,"generation","version","rebuild"?}]}}: every projection this
 * process runs, aggregate views, document projections and the live feed's, with how far each has got; and
 * {@code POST /projections/{name}/rebuild} (admin) → 202 {@code {"projection","generation","version","state":
 * "rebuilding"}}, 404 {@code unknown-projection}, 409 {@code rebuild-in-progress} (with {@code generation}) or
 * {@code not-rebuildable} (the live feed), 501 {@code rebuild-not-supported} on a server without rebuilds.
 *
 * <ul>
 *   <li>{@code kind}: {@code aggregate-view}, {@code documents} or {@code live-feed};</li>
 *   <li>{@code follows}: the categories it applies, or {@code ["*"]} for every commit;</li>
 *   <li>{@code ordering}: {@code global-position} (PostgreSQL, memory) or {@code stream-revision} (DynamoDB);</li>
 *   <li>{@code checkpoint}: the durable channel's checkpoint saved last, null before the first;</li>
 *   <li>{@code commitsBehind}: commits this process's projector has received but not yet stored;
 *       {@code lagMillis}: while behind, the time since it last stored anything, else 0;</li>
 *   <li>{@code state}: {@code running}, {@code catching-up} (behind by more than 1 s) or {@code stopped}, with
 *       {@code failure}: {@code {"stream","revision","position"?,"error","at"}}, the commit it stopped at;</li>
 *   <li>{@code generation}: the generation queries read (1 for data written before generations existed);
 *       {@code version}: the projection's registered version (an aggregate view's: its state schema version);</li>
 *   <li>{@code rebuild}, only while one is under way or its new generation stopped: {@code {"generation","version",
 *       "state":"rebuilding"|"stopped","done","total","ratePerSecond","etaSeconds","startedAt","failure"?}}
 *       ({@code total} and {@code etaSeconds} null when not known).</li>
 *   <li>{@code skipped}: the commits a document projection was told to skip, persisted, oldest first:
 *       {@code [{"stream","revision","position"?,"error","at","skippedAt"}]}; always present, empty for the
 *       others.</li>
 * </ul>
 * Thread-safe.
 */
final class ProjectionsController {

    private static final long CATCHING_UP_MILLIS = 1_000;

    private final ProjectionCatalog catalog;
    private final Replies replies;
    private final ProjectionRebuilds rebuilds;

    ProjectionsController(ProjectionCatalog catalog, Replies replies) {
        this(catalog, replies, ProjectionRebuilds.unsupported());
    }

    ProjectionsController(ProjectionCatalog catalog, Replies replies, ProjectionRebuilds rebuilds) {
        this.catalog = requireNonNull(catalog, "catalog must not be null");
        this.replies = requireNonNull(replies, "replies must not be null");
        this.rebuilds = requireNonNull(rebuilds, "rebuilds must not be null");
    }

    /** The OpenAPI entry of {@code POST /projections/{name}/rebuild}. */
    static Operation rebuildOperation() {
        return Operation.of("operations", "Rebuild a projection as a new generation, without downtime")
                .description("Builds a new generation of a document projection or an aggregate's views from the "
                        + "start of history beside the one queries read, switches to it atomically once it has "
                        + "caught up, then deletes the old one. Progress is on GET /projections. The live feed "
                        + "cannot be rebuilt.")
                .pathParameter("name", "the projection's name, as GET /projections lists it")
                .answer(202, "the rebuild started", OpenApi.object("projection", OpenApi.string(),
                        "generation", OpenApi.integer(), "version", OpenApi.integer(), "state", OpenApi.string()))
                .problems(404, 409, 501);
    }

    /** {@code POST /projections/{name}/rebuild}. */
    Reply rebuild(Context ctx) {
        String name = ctx.pathParam("name");
        if (!rebuilds.supported()) {
            throw new ProblemException(Problem.of(501, "rebuild-not-supported", "Rebuild not supported",
                    "this server does not rebuild projections").with("projection", name));
        }
        ProjectionRebuilds.Requested requested = rebuilds.rebuild(name);
        if (requested instanceof ProjectionRebuilds.Started started) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("projection", started.projection());
            body.put("generation", started.generation());
            body.put("version", started.version());
            body.put("state", "rebuilding");
            return replies.json(202, body);
        }
        if (requested instanceof ProjectionRebuilds.InProgress running) {
            throw new ProblemException(Problem.of(409, "rebuild-in-progress", "Rebuild in progress",
                    "projection " + name + " is being rebuilt as generation " + running.generation()
                            + " already; see GET /projections")
                    .with("projection", name).with("generation", running.generation()));
        }
        if (requested instanceof ProjectionRebuilds.NotRebuildable refused) {
            throw new ProblemException(Problem.of(409, "not-rebuildable", "Not rebuildable",
                    "projection " + name + " cannot be rebuilt: " + refused.reason()).with("projection", name));
        }
        throw new ProblemException(Problem.of(404, "unknown-projection", "Unknown projection",
                "no projection is named '" + name + "'; GET /projections lists them").with("projection", name));
    }

    /** The OpenAPI entry of {@code GET /projections}. */
    static Operation operation() {
        return Operation.of("operations", "Every projection this process runs, and how far each has got")
                .answer(200, "the projections", OpenApi.object("projections", OpenApi.arrayOf(OpenApi.object(
                        "name", OpenApi.string(), "kind", OpenApi.string(), "follows", OpenApi.arrayOf(OpenApi.string()),
                        "ordering", OpenApi.string(), "checkpoint", OpenApi.anyJson(), "commitsBehind", OpenApi.integer(),
                        "lagMillis", OpenApi.integer(), "state", OpenApi.string(), "failure?", OpenApi.anyJson(),
                        "generation", OpenApi.integer(), "version", OpenApi.integer(),
                        "rebuild?", OpenApi.anyJson(),
                        "skipped", OpenApi.arrayOf(skippedSchema())))));
    }

    /** The schema of one skipped commit. */
    static com.fasterxml.jackson.databind.node.ObjectNode skippedSchema() {
        return OpenApi.object("stream", OpenApi.string(), "revision", OpenApi.integer(), "position?",
                OpenApi.integer(), "error", OpenApi.string(), "at", OpenApi.string(), "skippedAt", OpenApi.string());
    }

    Reply list() {
        List<Map<String, Object>> shown = new ArrayList<>();
        for (ProjectionCatalog.Entry entry : catalog.all()) {
            shown.add(show(entry));
        }
        return replies.json(200, Map.of("projections", shown));
    }

    private Map<String, Object> show(ProjectionCatalog.Entry entry) {
        Projection<?, ?> projection = entry.projection();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", entry.name());
        shown.put("kind", entry.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        shown.put("follows", projection.follows().isEmpty() ? List.of("*") : List.copyOf(projection.follows()));
        shown.put("ordering", projection.ordering().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        shown.put("checkpoint", projection.savedCheckpoint().map(checkpoint -> checkpoint.value()).orElse(null));
        long behind = projection.commitsBehind();
        long lag = projection.lagMillis();
        shown.put("commitsBehind", behind);
        shown.put("lagMillis", lag);
        ProjectionFailure failure = projection.failure();
        if (failure != null) {
            shown.put("state", "stopped");
            shown.put("failure", failure(failure));
        } else {
            shown.put("state", lag > CATCHING_UP_MILLIS ? "catching-up" : "running");
        }
        Optional<ProjectionRebuilds.Status> status = rebuilds.status(entry.name());
        shown.put("generation", status.map(ProjectionRebuilds.Status::generation).orElse(1));
        shown.put("version", status.map(ProjectionRebuilds.Status::version).orElse(1));
        status.flatMap(ProjectionRebuilds.Status::rebuild).ifPresent(rebuild -> shown.put("rebuild", show(rebuild)));
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (SkippedCommit commit : projection.skipped()) {
            skipped.add(skipped(commit));
        }
        shown.put("skipped", skipped);
        return shown;
    }

    /** {@code {"stream","revision","position"?,"error","at","skippedAt"}}. */
    static Map<String, Object> skipped(SkippedCommit commit) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("stream", commit.stream().value());
        shown.put("revision", commit.revision());
        commit.position().ifPresent(position -> shown.put("position", position));
        shown.put("error", commit.error());
        shown.put("at", commit.at().toString());
        shown.put("skippedAt", commit.skippedAt().toString());
        return shown;
    }

    private static Map<String, Object> show(ProjectionRebuilds.Progress progress) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("generation", progress.generation());
        shown.put("version", progress.version());
        shown.put("state", progress.stopped() ? "stopped" : "rebuilding");
        shown.put("done", progress.done());
        shown.put("total", progress.total().isPresent() ? progress.total().getAsLong() : null);
        shown.put("ratePerSecond", Math.round(progress.ratePerSecond() * 10) / 10.0);
        shown.put("etaSeconds", progress.etaSeconds().isPresent()
                ? Math.round(progress.etaSeconds().getAsDouble() * 10) / 10.0 : null);
        shown.put("startedAt", progress.startedAt().toString());
        progress.failure().ifPresent(failure -> shown.put("failure", failure(failure)));
        return shown;
    }

    private static Map<String, Object> failure(ProjectionFailure failure) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("stream", failure.stream().value());
        at.put("revision", failure.revision());
        failure.position().ifPresent(position -> at.put("position", position));
        at.put("error", failure.error());
        at.put("at", failure.at().toString());
        return at;
    }
}
