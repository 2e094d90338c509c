package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.cairn.application.projection.ProjectionControl;
import io.cairn.application.projection.ProjectionControlException;
import io.cairn.application.projection.SkippedCommit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an operator does to a stopped projection (role {@code admin}; no body):
 * <ul>
 *   <li>{@code POST /projections/{name}/retry} → 200 {@code {"projection","state":"running"}}: it starts again from
 *       its checkpoint, trying the commit it stopped at again with the current code (if that fails again it stops
 *       again, visibly on {@code GET /projections});</li>
 *   <li>{@code POST /projections/{name}/skip} → 200 {@code {"projection","state":"running","skipped":{"stream",
 *       "revision","position"?,"error","at","skippedAt"}}}: a document projection records the commit it stopped at
 *       in its persisted skip list, then starts again and treats that commit as applied with no document change.</li>
 * </ul>
 * Problems: 404 {@code unknown-projection}; 409 {@code projection-not-stopped} (it runs); 409
 * {@code skip-not-allowed} for an aggregate's views (the command handler's snapshots: a view that missed a commit
 * would make commands decide on a wrong state) and for the live feed (its clients would miss the commit); 501
 * {@code projection-control-unsupported} on a server without projectors; 503 when the store is down (nothing
 * skipped). Thread-safe.
 */
final class ProjectionOperationsController {

    private final ProjectionControl control;
    private final Replies replies;

    ProjectionOperationsController(ProjectionControl control, Replies replies) {
        this.control = requireNonNull(control, "control must not be null");
        this.replies = requireNonNull(replies, "replies must not be null");
    }

    static Operation retryOperation() {
        return Operation.of("operations", "Start a stopped projection again from its checkpoint")
                .description("The commit it stopped at is tried again with the current code, then everything "
                        + "after it, each exactly once; if it fails again the projection stops again.")
                .pathParameter("name", "the projection's name, as GET /projections lists it")
                .answer(200, "it runs again", OpenApi.object("projection", OpenApi.string(),
                        "state", OpenApi.string()))
                .problems(404, 409, 501, 503);
    }

    static Operation skipOperation() {
        return Operation.of("operations", "Skip the commit a stopped document projection stopped at")
                .description("The commit is saved in the projection's skip list (shown by GET /projections, kept "
                        + "across restarts), then the projection starts again and treats it as applied with no "
                        + "document change. Not for an aggregate's views nor the live feed (409 skip-not-allowed).")
                .pathParameter("name", "the document projection's name")
                .answer(200, "the commit skipped; it runs again", OpenApi.object("projection", OpenApi.string(),
                        "state", OpenApi.string(), "skipped", ProjectionsController.skippedSchema()))
                .problems(404, 409, 501, 503);
    }

    Reply retry(String name) {
        try {
            control.retry(name);
        } catch (ProjectionControlException e) {
            throw new ProblemException(problem(e));
        }
        return replies.json(200, running(name));
    }

    Reply skip(String name) {
        SkippedCommit skipped;
        try {
            skipped = control.skip(name);
        } catch (ProjectionControlException e) {
            throw new ProblemException(problem(e));
        }
        Map<String, Object> body = running(name);
        body.put("skipped", ProjectionsController.skipped(skipped));
        return replies.json(200, body);
    }

    private static Map<String, Object> running(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projection", name);
        body.put("state", "running");
        return body;
    }

    private static Problem problem(ProjectionControlException e) {
        Problem problem = switch (e.refusal()) {
            case UNKNOWN_PROJECTION -> Problem.of(404, "unknown-projection", "Unknown projection", e.getMessage());
            case NOT_STOPPED -> Problem.of(409, "projection-not-stopped", "Projection not stopped", e.getMessage());
            case SKIP_NOT_ALLOWED -> Problem.of(409, "skip-not-allowed", "Skip not allowed", e.getMessage());
            case NOT_SUPPORTED -> Problem.of(501, "projection-control-unsupported", "Not supported",
                    e.getMessage());
        };
        return problem.with("projection", e.projection());
    }
}
