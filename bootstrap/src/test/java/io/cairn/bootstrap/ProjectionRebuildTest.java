package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.application.port.Snapshot;
import io.cairn.application.projection.GenerationRecord;
import io.cairn.domain.StreamId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rebuilding projections without downtime, on every store, over real sockets: a new generation built beside the
 * one queries read while writers append and readers read, the atomic switch, the old generation deleted; a restart
 * mid-rebuild that resumes; a version bump at start-up; an aggregate's views after a state schema change; the HTTP
 * answers; and nothing a rebuild does reaches the live feed or the fast channel.
 */
class ProjectionRebuildTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    private Cairn cairn;

    @BeforeEach
    @AfterEach
    void reset() {
        RebuildDomain.Rebuilt.reset();
    }

    /** Whether a test's writer and reader threads go on; false after each test, whatever it did. */
    private final AtomicBoolean running = new AtomicBoolean(true);

    @AfterEach
    void stop() {
        // a test that failed half-way must not leave its threads running, nor the rebuild held (which would keep
        // the projector, and so the close, waiting forever)
        running.set(false);
        RebuildDomain.Rebuilt.letGo();
        if (cairn != null) {
            cairn.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void a_rebuild_beside_writers_and_readers_switches_to_a_whole_generation_and_deletes_the_old_one(TestStores store)
            throws Exception {
        RebuildDomain domain = new RebuildDomain(1, 1);
        // a small ring and a slow rebuild: the new generation is often between batches, with nothing unstored,
        // before it has caught up, which is when a switch that does not wait for the head would show
        cairn = start(store.environment(dataDir, "CAIRN_PROJECTION_RING_SIZE", "16",
                "CAIRN_LIMITS_REQUESTS_PER_SECOND", "0"), domain);
        addTo(domain, 100, 10);
        awaitCommits(100);
        RebuildDomain.Rebuilt.hold(30);

        AtomicLong written = new AtomicLong();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicLong reads = new AtomicLong();
        Thread writer = new Thread(() -> {
            while (running.get()) {
                cairn.aggregate(domain.counters).handle("c-" + ThreadLocalRandom.current().nextInt(10),
                        new RebuildDomain.Add(1));
                written.incrementAndGet();
                try {
                    Thread.sleep(5); // at most 200 commits a second: slower than the rebuild, which catches up
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Thread reader = new Thread(() -> {
            long last = 0;
            while (running.get()) {
                try {
                    HttpResponse<String> read = get("/views/tally/all");
                    if (read.statusCode() != 200) {
                        problems.add("a read answered " + read.statusCode() + ": " + read.body());
                        continue;
                    }
                    long commits = JSON.readTree(read.body()).path("commits").asLong();
                    if (commits < last) {
                        problems.add("a read saw " + commits + " commits after one saw " + last);
                    }
                    last = commits;
                    reads.incrementAndGet();
                } catch (Exception e) {
                    problems.add(e.toString());
                }
            }
        });
        writer.start();
        reader.start();

        HttpResponse<String> started = post("/projections/tally/rebuild");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(JSON.readTree(started.body())).isEqualTo(JSON.readTree(
                "{\"projection\":\"tally\",\"generation\":2,\"version\":1,\"state\":\"rebuilding\"}"));
        HttpResponse<String> again = post("/projections/tally/rebuild");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("type").asText()).isEqualTo("urn:cairn:problem:rebuild-in-progress");
        assertThat(JSON.readTree(again.body()).path("generation").asInt()).isEqualTo(2);

        awaitThat(() -> RebuildDomain.Rebuilt.applied.get() > 30, "the rebuild reaches the commit it is held at");
        JsonNode during = projection("tally");
        assertThat(during.path("generation").asInt()).as("queries still read generation 1").isEqualTo(1);
        assertThat(during.path("version").asInt()).isEqualTo(1);
        JsonNode rebuild = during.path("rebuild");
        assertThat(rebuild.path("generation").asInt()).isEqualTo(2);
        assertThat(rebuild.path("state").asText()).isEqualTo("rebuilding");
        assertThat(rebuild.path("done").asLong()).isLessThan(100 + written.get() + 1);
        assertThat(rebuild.has("total")).isTrue();
        assertThat(rebuild.has("ratePerSecond")).isTrue();
        assertThat(rebuild.has("etaSeconds")).isTrue();
        assertThat(rebuild.path("startedAt").asText()).isNotEmpty();
        if (store != TestStores.DYNAMODB) {
            assertThat(rebuild.path("total").asLong()).as("the log's head").isGreaterThanOrEqualTo(100);
        }

        RebuildDomain.Rebuilt.sleepMillis = 1;
        RebuildDomain.Rebuilt.letGo();
        awaitThat(() -> projection("tally").path("generation").asInt() == 2 && !projection("tally").has("rebuild"),
                "the switch to generation 2");
        Thread.sleep(300); // a few more reads and writes on the new generation
        running.set(false);
        writer.join();
        reader.join();
        long total = 100 + written.get();
        awaitCommits(total);

        // in stream order too: the new generation switches only once it has stored every stream the live one had
        assertThat(problems).as("what readers saw").isEmpty();
        assertThat(reads.get()).isPositive();
        JsonNode all = JSON.readTree(get("/views/tally/all").body());
        assertThat(all.path("commits").asLong()).isEqualTo(total);
        assertThat(all.path("total").asLong()).isEqualTo(total);
        awaitThat(() -> GenerationRecord.load(cairn.backend().checkpoints(), "tally").orElseThrow().retiring()
                .isEmpty(), "the old generation deleted");
        GenerationRecord record = GenerationRecord.load(cairn.backend().checkpoints(), "tally").orElseThrow();
        assertThat(record.active()).isEqualTo(2);
        assertThat(record.building()).isEmpty();
        assertThat(cairn.backend().documentStore("tally", DocumentWiring.states(domain.tally))
                .list("", Optional.empty(), 10).documents()).as("generation 1's documents").isEmpty();
        assertThat(cairn.backend().checkpoints().load("tally")).as("generation 1's checkpoint").isEmpty();
        assertThat(cairn.backend().documentStore("tally.g2", DocumentWiring.states(domain.tally))
                .document("all")).isPresent();
    }

    @Test
    void the_live_feed_is_not_rebuildable_an_unknown_name_is_404_and_a_rebuild_reaches_no_feed_subscriber()
            throws Exception {
        RebuildDomain domain = new RebuildDomain(1, 1);
        cairn = start(TestStores.MEMORY.environment(dataDir), domain);
        addTo(domain, 20, 4);
        awaitCommits(20);
        // the live feed's projection keeps nothing, so without a subscriber it may take commits a little later:
        // wait until it has stored through the last, so that the subscriber below is given none of them
        awaitThat(() -> "20".equals(projection("live-feed").path("checkpoint").asText()), "live-feed through 20");
        List<String> feed = new CopyOnWriteArrayList<>();
        CLIENT.sendAsync(HttpRequest.newBuilder(uri("/feed")).GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(feed::add));
        Thread.sleep(300); // connected
        String published = metric("cairn_fast_channel_published_total");

        HttpResponse<String> feedRebuild = post("/projections/live-feed/rebuild");
        assertThat(feedRebuild.statusCode()).as(feedRebuild.body()).isEqualTo(409);
        assertThat(JSON.readTree(feedRebuild.body()).path("type").asText())
                .isEqualTo("urn:cairn:problem:not-rebuildable");
        HttpResponse<String> unknown = post("/projections/nothing-here/rebuild");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("type").asText())
                .isEqualTo("urn:cairn:problem:unknown-projection");
        assertThat(post("/projections/tally/rebuild").statusCode()).isEqualTo(202);
        assertThat(post("/projections/counters-view/rebuild").statusCode()).isEqualTo(202);
        awaitThat(() -> projection("tally").path("generation").asInt() == 2
                && projection("counters-view").path("generation").asInt() == 2, "both switched");

        assertThat(feed).as("what the feed delivered during the rebuilds").noneMatch(line -> line.startsWith("event:"));
        assertThat(metric("cairn_fast_channel_published_total")).as("fast-channel publications").isEqualTo(published);
        assertThat(RebuildDomain.Rebuilt.applied.get()).as("the new generation's handler runs").isEqualTo(20);
        assertThat(JSON.readTree(get("/counters/c-1").body()).path("total").asLong())
                .as("the aggregate's views read from generation 2").isEqualTo(5);
        HttpResponse<String> added = CLIENT.send(HttpRequest.newBuilder(uri("/counters/c-1/add"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"amount\":2}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode() / 100).as(added.body()).isEqualTo(2);
        awaitThat(() -> feed.stream().filter(line -> line.startsWith("event: commit")).count() == 1,
                "the new commit, and only it, on the feed");
        awaitThat(() -> JSON.readTree(get("/counters/c-1").body()).path("total").asLong() == 7,
                "the new generation's projector applies a new commit");
        awaitCommits(21);
    }

    @ParameterizedTest
    @EnumSource(value = TestStores.class, names = {"POSTGRES", "DYNAMODB"})
    void a_restart_mid_rebuild_resumes_the_new_generation_from_its_own_checkpoint(TestStores store) throws Exception {
        Map<String, String> environment = store.environment(dataDir, "CAIRN_PROJECTION_RING_SIZE", "16");
        RebuildDomain domain = new RebuildDomain(1, 1);
        cairn = start(environment, domain);
        addTo(domain, 200, 20);
        awaitCommits(200);
        RebuildDomain.Rebuilt.sleepMillis = 10;

        assertThat(post("/projections/tally/rebuild").statusCode()).isEqualTo(202);
        awaitThat(() -> RebuildDomain.Rebuilt.applied.get() >= 40, "the rebuild under way");
        cairn.close();
        int beforeRestart = RebuildDomain.Rebuilt.applied.get();
        assertThat(beforeRestart).as("stopped mid-way").isLessThan(200);
        RebuildDomain.Rebuilt.reset();

        cairn = start(environment, new RebuildDomain(1, 1));
        awaitThat(() -> projection("tally").path("generation").asInt() == 2, "the resumed rebuild switched");

        assertThat(RebuildDomain.Rebuilt.applied.get()).as("commits the new generation applied after the restart, "
                + "having applied " + beforeRestart + " before it").isLessThan(200).isPositive();
        JsonNode all = JSON.readTree(get("/views/tally/all").body());
        assertThat(all.path("commits").asLong()).as("as from scratch").isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            JsonNode counter = JSON.readTree(get("/views/tally/c-" + i).body());
            assertThat(counter.path("commits").asLong()).as("counter c-%d", i).isEqualTo(10);
        }
    }

    @Test
    void a_version_bump_at_start_up_rebuilds_by_itself_and_a_lower_version_is_refused() throws Exception {
        Map<String, String> environment = TestStores.POSTGRES.environment(dataDir);
        RebuildDomain first = new RebuildDomain(1, 1);
        cairn = start(environment, first);
        addTo(first, 30, 3);
        awaitCommits(30);
        assertThat(JSON.readTree(get("/views/tally/all").body()).path("version").asInt()).isEqualTo(1);
        cairn.close();

        cairn = start(environment, new RebuildDomain(2, 1));
        assertThat(projection("tally").path("version").asInt()).isEqualTo(2);
        awaitThat(() -> projection("tally").path("generation").asInt() == 2, "the switch to generation 2");
        JsonNode all = JSON.readTree(get("/views/tally/all").body());
        assertThat(all.path("version").asInt()).as("made by the version 2 handler").isEqualTo(2);
        assertThat(all.path("commits").asLong()).isEqualTo(30);
        cairn.close();
        cairn = null;

        assertThatThrownBy(() -> start(environment, new RebuildDomain(1, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("projection tally is registered at version 1, below version 2");
    }

    @ParameterizedTest
    @EnumSource(value = TestStores.class, names = {"POSTGRES", "DYNAMODB"})
    void an_aggregates_views_are_rebuilt_after_a_state_schema_change(TestStores store) throws Exception {
        Map<String, String> environment = store.environment(dataDir);
        RebuildDomain before = new RebuildDomain(1, 1);
        cairn = start(environment, before);
        addTo(before, 10, 1);
        awaitThat(() -> JSON.readTree(get("/counters/c-0").body()).path("total").asLong() == 10, "the view");
        cairn.close();

        RebuildDomain after = new RebuildDomain(1, 2);
        cairn = start(environment, after);
        assertThat(JSON.readTree(get("/counters/c-0").body()).path("total").asLong())
                .as("during the rebuild: views of schema 1 read as absent, the query replays").isEqualTo(10);
        awaitThat(() -> projection("counters-view").path("generation").asInt() == 2, "the switch");
        assertThat(projection("counters-view").path("version").asInt()).isEqualTo(2);
        StreamId stream = StreamId.of("counter", "c-0");
        Optional<Snapshot<RebuildDomain.CounterState>> rebuilt = cairn.backend()
                .viewStore("counters.g2", after.counters.state()).get(stream);
        assertThat(rebuilt).as("generation 2's view, written under schema 2").isPresent();
        assertThat(rebuilt.get().revision()).isEqualTo(10);
        assertThat(rebuilt.get().state().total()).isEqualTo(10);
        cairn.aggregate(after.counters).handle("c-0", new RebuildDomain.Add(5));
        awaitThat(() -> JSON.readTree(get("/counters/c-0").body()).path("total").asLong() == 15, "a new commit");
        awaitThat(() -> cairn.backend().viewStore("counters", before.counters.state()).get(stream).isEmpty(),
                "generation 1's views deleted");
    }

    private Cairn start(Map<String, String> environment, RebuildDomain domain) throws Exception {
        return Cairn.builder().config(CairnConfig.load(Optional.empty(), environment)).domain(domain).start();
    }

    private void addTo(RebuildDomain domain, int commits, int counters) {
        for (int i = 0; i < commits; i++) {
            cairn.aggregate(domain.counters).handle("c-" + (i % counters), new RebuildDomain.Add(1));
        }
    }

    private void awaitCommits(long commits) throws Exception {
        awaitThat(() -> {
            HttpResponse<String> read = get("/views/tally/all");
            return read.statusCode() == 200 && JSON.readTree(read.body()).path("commits").asLong() == commits;
        }, "tally at " + commits + " commits");
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitThat(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for " + what + " after " + PATIENCE);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode projection(String name) throws Exception {
        for (JsonNode projection : JSON.readTree(get("/projections").body()).path("projections")) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("GET /projections lists no " + name);
    }

    private String metric(String name) throws Exception {
        return get("/metrics").body().lines().filter(line -> line.startsWith(name)).findFirst().orElse("");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
