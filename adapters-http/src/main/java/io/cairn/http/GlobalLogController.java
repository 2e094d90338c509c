package io.cairn.http;

import static io.cairn.http.StreamController.integerParam;
import static io.cairn.http.StreamController.limitParam;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.Purpose;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.RecordedCommit;
import io.cairn.http.StreamController.EventView;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * {@code GET /all}: every stream's commits in the store's global order, for stores that have one (PostgreSQL, the
 * in-memory store); 501 on a store without one (DynamoDB). Thread-safe.
 */
final class GlobalLogController {

    record AllView(List<StreamCommit> commits, long nextPosition) {
    }

    /**
     * A commit of any stream, as {@code GET /all} and {@code GET /feed} show it.
     *
     * @param position its global position; left out on a store without a global order
     */
    record StreamCommit(@JsonInclude(JsonInclude.Include.NON_NULL) Long position, String stream, long revision,
                        String commitId, Map<String, String> metadata, List<EventView> events) {

        static StreamCommit of(RecordedCommit commit) {
            Long position = commit.position().isPresent() ? commit.position().getAsLong() : null;
            return new StreamCommit(position, commit.stream().value(), commit.revision(),
                    commit.commitId().toString(), new TreeMap<>(commit.metadata()), StreamController.events(commit));
        }
    }

    /** The OpenAPI entry of {@code GET /all}. */
    static Operation operation() {
        return Operation.of("streams", "Every commit in the store's global order")
                .description("On a store with a global order (PostgreSQL, memory); 501 on DynamoDB.")
                .query("fromPosition", OpenApi.integer().put("minimum", 0), "where to start (0 and 1: the beginning)")
                .query("limit", OpenApi.integer().put("minimum", 1).put("maximum", GlobalLog.MAX_SLICE),
                        "commits to read at most (default " + StreamController.DEFAULT_LIMIT + ")")
                .answer(200, "the commits and the position to ask for next", OpenApi.schema("AllPage"))
                .problems(400, 501, 503);
    }

    private final Optional<GlobalLog> log;
    private final Replies replies;

    GlobalLogController(Optional<GlobalLog> log, Replies replies) {
        this.log = log;
        this.replies = replies;
    }

    /**
     * {@code GET /all?fromPosition=0&limit=100}: up to {@code limit} commits from {@code fromPosition} (0 and 1 both
     * start at the beginning), and the position to ask for next.
     */
    Reply read(Context ctx) {
        GlobalLog globalLog = log.orElseThrow(() -> new ProblemException(ProblemMapper.noGlobalOrder()));
        long from = integerParam(ctx, "fromPosition", 0);
        if (from < 0) {
            throw new InvalidInputException("fromPosition", "fromPosition must be >= 0, was " + from);
        }
        int limit = limitParam(ctx, GlobalLog.MAX_SLICE);
        GlobalSlice slice;
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            slice = globalLog.readAll(from, limit);
        }
        List<StreamCommit> commits = new ArrayList<>(slice.commits().size());
        for (RecordedCommit commit : slice.commits()) {
            commits.add(StreamCommit.of(commit));
        }
        return replies.json(200, new AllView(commits, slice.nextPosition()));
    }
}
