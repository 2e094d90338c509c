package io.cairn.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Follows a rebuild on {@code GET /projections} until it is done (the projection's {@code rebuild} entry is gone and
 * its {@code generation} is the new one: exit 0) or its new generation stopped ({@code rebuild.state} is
 * {@code stopped}: exit 1, with the failure). Not thread-safe.
 */
final class RebuildFollower {

    /** Polls in a row that show neither the rebuild nor its generation before it is taken as gone. */
    private static final int MAX_UNSEEN = 20;

    private final CairnClient client;
    private final String name;
    private final long generation;
    private final long pollMillis;

    RebuildFollower(CairnClient client, String name, long generation, long pollMillis) {
        this.client = client;
        this.name = name;
        this.generation = generation;
        this.pollMillis = pollMillis;
    }

    int follow(Progress progress, PrintWriter out) {
        int unseen = 0;
        while (true) {
            JsonNode projection = client.projection(name);
            JsonNode rebuild = projection.path("rebuild");
            boolean ours = !rebuild.isMissingNode() && rebuild.path("generation").asLong() == generation;
            if (ours && rebuild.path("state").asText().equals("stopped")) {
                progress.update(rebuild);
                progress.close();
                JsonNode failure = rebuild.path("failure");
                throw new CliFailure(CliFailure.STOPPED, "the rebuild of projection " + name + " into generation "
                        + generation + " stopped" + (failure.isMissingNode() ? "" : " at "
                        + ProjectionsCommand.commit(failure) + ": " + failure.path("error").asText())
                        + "; queries still read generation " + projection.path("generation").asText());
            }
            if (ours) {
                unseen = 0;
                progress.update(rebuild);
            } else if (projection.path("generation").asLong() == generation) {
                progress.done();
                progress.close();
                out.println("projection " + name + " rebuilt: queries read generation " + generation);
                return 0;
            } else if (++unseen >= MAX_UNSEEN) {
                throw new CliFailure(CliFailure.OTHER, "the rebuild of projection " + name + " into generation "
                        + generation + " is no longer listed, and queries read generation "
                        + projection.path("generation").asText() + ": it was replaced or abandoned");
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(CliFailure.OTHER, "interrupted; the rebuild goes on on the server");
            }
        }
    }
}
