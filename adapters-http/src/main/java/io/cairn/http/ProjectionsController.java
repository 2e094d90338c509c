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

/**
 * {@code GET /projections} → 200 {@code {"projections":[{"name","kind","follows","ordering","checkpoint",
 * "commitsBehind","lagMillis","state","failure"?}]}}: every projection this process runs, aggregate views,
 * document projections and the live feed's, with how far each has got.
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

    ProjectionsController(ProjectionCatalog catalog, Replies replies) {
        this.catalog = requireNonNull(catalog, "catalog must not be null");
        this.replies = requireNonNull(replies, "replies must not be null");
    }

    /** The OpenAPI entry of {@code GET /projections}. */
    static Operation operation() {
        return Operation.of("operations", "Every projection this process runs, and how far each has got")
                .answer(200, "the projections", OpenApi.object("projections", OpenApi.arrayOf(OpenApi.object(
                        "name", OpenApi.string(), "kind", OpenApi.string(), "follows", OpenApi.arrayOf(OpenApi.string()),
                        "ordering", OpenApi.string(), "checkpoint", OpenApi.anyJson(), "commitsBehind", OpenApi.integer(),
                        "lagMillis", OpenApi.integer(), "state", OpenApi.string(), "failure?", OpenApi.anyJson(),
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

    private static Map<String, Object> show(ProjectionCatalog.Entry entry) {
        Projection<?, ?> projection = entry.projection();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", projection.name());
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
            Map<String, Object> at = new LinkedHashMap<>();
            at.put("stream", failure.stream().value());
            at.put("revision", failure.revision());
            failure.position().ifPresent(position -> at.put("position", position));
            at.put("error", failure.error());
            at.put("at", failure.at().toString());
            shown.put("failure", at);
        } else {
            shown.put("state", lag > CATCHING_UP_MILLIS ? "catching-up" : "running");
        }
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
}
