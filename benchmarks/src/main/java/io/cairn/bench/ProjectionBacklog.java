package io.cairn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a running Cairn's projections are behind, read from its {@code GET /projections}: what the benchmarks
 * wait on between cells, so that no cell pays for the backlog an earlier one left.
 */
final class ProjectionBacklog {

    private static final Pattern BEHIND = Pattern.compile("\"commitsBehind\":(\\d+)");
    private static final Pattern DUPLICATES = Pattern.compile(
            "(?m)^cairn_projector_duplicates_total\\{([^}]*)} ([0-9.eE+]+)$");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ProjectionBacklog() {
    }

    /** Commits every projection together has received and not yet stored. */
    static long behind(URI base) throws IOException, InterruptedException {
        String body = CLIENT.send(HttpRequest.newBuilder(base.resolve("/projections")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long behind = 0;
        for (Matcher m = BEHIND.matcher(body); m.find(); ) {
            behind += Long.parseLong(m.group(1));
        }
        return behind;
    }

    /**
     * The commits every projection's gate got again so far, summed ({@code cairn_projector_duplicates_total} from
     * {@code GET /metrics}).
     */
    static long duplicates(URI base) throws IOException, InterruptedException {
        return duplicatesByLabels(base).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many projections {@code GET /metrics} counts duplicates for. */
    static int projections(URI base) throws IOException, InterruptedException {
        return duplicatesByLabels(base).size();
    }

    /** The commits each projection's gate got again so far, by the metric's labels (the projection's name first). */
    static Map<String, Long> duplicatesByLabels(URI base) throws IOException, InterruptedException {
        String body = CLIENT.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> duplicates = new TreeMap<>();
        for (Matcher m = DUPLICATES.matcher(body); m.find(); ) {
            duplicates.put(m.group(1), (long) Double.parseDouble(m.group(2)));
        }
        return duplicates;
    }

    /**
     * Looks every {@code poll} until nothing is behind, for at most {@code limit}.
     *
     * @return what is still behind: 0 when the projections caught up
     */
    static long awaitCaughtUp(URI base, Duration limit, Duration poll) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long behind;
        while ((behind = behind(base)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(poll.toMillis());
        }
        return behind;
    }
}
