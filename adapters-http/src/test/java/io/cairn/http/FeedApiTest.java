package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.http.FeedReader.Event;
import io.cairn.http.TestCairn.Response;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FeedApiTest {

    private static final Duration WAIT = FeedReader.WAIT;

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    // --- a store with a global order ---

    @Test
    void commits_arrive_as_they_are_released_in_order_with_their_positions_as_ids() {
        String stream = TestCairn.newStream();
        try (FeedReader feed = FeedReader.open(cairn.client, cairn.uri("/feed"))) {
            for (int n = 1; n <= 5; n++) {
                append(stream, n == 1 ? "\"no_stream\"" : Integer.toString(n - 1), "{\"n\":" + n + "}");
            }

            List<Event> events = new ArrayList<>();
            while (events.size() < 5) {
                Event event = feed.next();
                if (event.json().path("stream").asText().equals(stream)) {
                    events.add(event);
                }
            }

            for (int i = 0; i < 5; i++) {
                Event event = events.get(i);
                JsonNode commit = event.json();
                assertThat(event.type()).isEqualTo("commit");
                assertThat(commit.path("position").asLong()).isEqualTo(event.position());
                assertThat(commit.path("revision").asLong()).isEqualTo(i + 1);
                assertThat(commit.path("commitId").asText()).hasSize(36);
                assertThat(commit.path("events").get(0).path("type").asText()).isEqualTo("Noted");
                assertThat(commit.path("events").get(0).path("data").path("n").asInt()).isEqualTo(i + 1);
                assertThat(commit.path("events").get(0).path("eventNumber").asLong()).isEqualTo(i + 1);
            }
            assertThat(FeedReader.positions(events)).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void a_commit_reads_the_same_on_the_feed_as_on_all() {
        long position = appendDirectly(1).get(0).position().getAsLong();
        try (FeedReader feed = FeedReader.open(cairn.client, cairn.uri("/feed"), "Last-Event-ID",
                Long.toString(position - 1))) {

            Event event = feed.next();

            JsonNode all = cairn.get("/all?fromPosition=" + position + "&limit=1").json();
            assertThat(event.json()).isEqualTo(all.path("commits").get(0));
        }
    }

    @Test
    void a_resume_with_last_event_id_is_exact_across_the_handover_from_history_to_live() throws Exception {
        List<RecordedCommit> before = appendDirectly(60);
        long resumeAfter = before.get(19).position().getAsLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<RecordedCommit> during = new ArrayList<>();
        Thread writer = new Thread(() -> {
            // written and released while the subscriber reads history and hands over to live
            for (int i = 0; i < 300; i++) {
                during.addAll(appendDirectly(1));
            }
            writing.set(false);
        });

        writer.start();
        try (FeedReader feed = FeedReader.open(cairn.client, cairn.uri("/feed"), "Last-Event-ID",
                Long.toString(resumeAfter))) {
            writer.join();
            List<RecordedCommit> after = appendDirectly(20);
            long last = after.get(after.size() - 1).position().getAsLong();

            List<Event> events = feed.commitsUntil(last);

            assertThat(FeedReader.positions(events)).as("no gap, no repeat").isEqualTo(range(resumeAfter + 1, last));
            for (Event event : events) {
                assertThat(event.json().path("position").asLong()).isEqualTo(event.position());
            }
        }
        assertThat(during).hasSize(300);
    }

    @Test
    void last_event_id_zero_replays_everything_from_the_first_commit() {
        appendDirectly(3);
        long last = lastPosition();

        try (FeedReader feed = FeedReader.open(cairn.client, cairn.uri("/feed"), "Last-Event-ID", "0")) {
            List<Event> events = feed.commitsUntil(last);

            assertThat(FeedReader.positions(events)).isEqualTo(range(1, last));
        }
    }

    @Test
    void the_last_event_id_query_parameter_resumes_a_first_connection_and_the_header_wins_over_it() {
        List<RecordedCommit> commits = appendDirectly(4);
        long first = commits.get(0).position().getAsLong();
        long last = commits.get(3).position().getAsLong();

        try (FeedReader byParameter = FeedReader.open(cairn.client, cairn.uri("/feed?lastEventId=" + first));
             FeedReader byHeader = FeedReader.open(cairn.client, cairn.uri("/feed?lastEventId=" + first),
                     "Last-Event-ID", Long.toString(first + 2))) {

            assertThat(FeedReader.positions(byParameter.commitsUntil(last))).isEqualTo(range(first + 1, last));
            assertThat(FeedReader.positions(byHeader.commitsUntil(last))).isEqualTo(range(first + 3, last));
        }
    }

    @Test
    void a_bad_last_event_id_is_invalid_input_before_the_stream_starts() {
        for (String bad : List.of("abc", "-1", "+1", "1.5", "12345678901234567890")) {
            assertInvalid(feed("Last-Event-ID", bad), "Last-Event-ID");
        }
        String encoded = URLEncoder.encode("not a position", StandardCharsets.UTF_8);
        JsonNode problem = assertInvalid(cairn.send(HttpRequest.newBuilder(cairn.uri("/feed?lastEventId=" + encoded))
                .GET()), "lastEventId");
        assertThat(problem.path("detail").asText()).contains("integer >= 0");
    }

    @Test
    void a_server_without_a_live_feed_answers_501() {
        HttpApi withoutFeed = cairn.anotherApi(Optional.of(cairn.memory), Optional.empty());
        try {
            Response response = cairn.send(HttpRequest.newBuilder(TestCairn.uri(withoutFeed, "/feed")).GET());

            assertProblem(response, 501, "no-live-feed");
        } finally {
            withoutFeed.stop();
        }
    }

    @Test
    void a_quiet_feed_sends_keep_alive_comments() {
        FakeReleasedCommits released = new FakeReleasedCommits();
        HttpApi api = apiWith(new CommitFeed(released, Optional.of(cairn.memory), durable()), Duration.ofMillis(50));
        try (FeedReader feed = FeedReader.open(cairn.client, TestCairn.uri(api, "/feed"))) {
            eventually("three keep-alive comments", () -> feed.comments().size() >= 3);

            assertThat(feed.comments()).allMatch(": keep-alive"::equals);
        } finally {
            api.stop();
        }
    }

    @Test
    void a_subscriber_that_stops_reading_is_cut_off_with_overflow_and_never_holds_up_the_live_source()
            throws Exception {
        FakeReleasedCommits released = new FakeReleasedCommits();
        HttpApi api = apiWith(new CommitFeed(released, Optional.of(cairn.memory), durable(), 16),
                HttpApi.FEED_KEEP_ALIVE);
        // big commits, so that the socket's buffers fill up and the server's writes block
        String padding = "{\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";
        try (FeedReader feed = FeedReader.connect(cairn.client, TestCairn.uri(api, "/feed"))) {
            assertThat(feed.status()).isEqualTo(200);
            AtomicBoolean releasedAll = new AtomicBoolean();
            Thread gate = new Thread(() -> {
                for (long position = 1; position <= 2_000; position++) {
                    released.release(synthetic(position, padding));
                }
                releasedAll.set(true);
            });

            gate.start();
            eventually("the gate released everything while the client read nothing", releasedAll::get);
            feed.startReading();
            List<Event> events = feed.untilTheEnd();

            Event last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("overflow");
            assertThat(last.id()).isNull();
            assertThat(last.data()).contains("more than 16 commits").contains("resume");
            List<Event> commits = events.subList(0, events.size() - 1);
            assertThat(commits).allMatch(event -> event.type().equals("commit"));
            assertThat(FeedReader.positions(commits)).isEqualTo(range(1, commits.size()));
            assertThat(commits.size()).isLessThan(2_000);
            eventually("the subscription released", () -> released.listeners() == 0 && api.openFeeds() == 0);
        } finally {
            api.stop();
        }
    }

    @Test
    void a_client_that_hangs_up_releases_its_subscription() {
        FakeReleasedCommits released = new FakeReleasedCommits();
        HttpApi api = apiWith(new CommitFeed(released, Optional.of(cairn.memory), durable()), Duration.ofMillis(50));
        try {
            FeedReader feed = FeedReader.open(cairn.client, TestCairn.uri(api, "/feed"));
            assertThat(released.listeners()).isEqualTo(1);
            assertThat(api.openFeeds()).isEqualTo(1);

            feed.close();

            eventually("the subscription released", () -> released.listeners() == 0 && api.openFeeds() == 0);
        } finally {
            api.stop();
        }
    }

    @Test
    void stopping_the_server_ends_open_feeds_and_releases_their_subscriptions() {
        FakeReleasedCommits released = new FakeReleasedCommits();
        HttpApi api = apiWith(new CommitFeed(released, Optional.of(cairn.memory), durable()), HttpApi.FEED_KEEP_ALIVE);
        try (FeedReader feed = FeedReader.open(cairn.client, TestCairn.uri(api, "/feed"))) {
            assertThat(released.listeners()).isEqualTo(1);

            api.stop();

            assertThat(released.listeners()).isZero();
            assertThat(feed.untilTheEnd()).isEmpty();
        } finally {
            api.stop();
        }
    }

    // --- a store without a global order ---

    @Test
    void without_a_global_order_a_client_resumes_from_a_durable_checkpoint_and_gets_no_stream_revision_twice() {
        InMemoryEventStore store = new InMemoryEventStore();
        FakeReleasedCommits released = new FakeReleasedCommits();
        DurableChannel atLeastOnce = repeating(new InMemoryDurableChannel(store, 10));
        HttpApi api = apiWith(new CommitFeed(released, Optional.empty(), atLeastOnce), Duration.ofMillis(50));
        List<StreamId> streams = List.of(StreamId.of("order-a"), StreamId.of("order-b"), StreamId.of("order-c"));
        try {
            // live: the gate gives the projection's last saved checkpoint, which lags two commits behind (none yet
            // for the first two)
            List<Event> live;
            try (FeedReader feed = FeedReader.open(cairn.client, TestCairn.uri(api, "/feed"))) {
                for (RecordedCommit commit : appendRoundRobin(store, streams, 9)) {
                    long position = commit.position().getAsLong();
                    released.release(commit, position <= 2 ? null : Checkpoint.atPosition(position - 2));
                }
                live = new ArrayList<>();
                for (int i = 0; i < 9; i++) {
                    live.add(feed.next());
                }
            }
            assertThat(live).extracting(Event::id).containsExactly(null, null, "1", "2", "3", "4", "5", "6", "7");
            eventually("the live subscription released", () -> released.listeners() == 0);
            appendRoundRobin(store, streams, 6); // written while the client was away

            String lastId = live.get(live.size() - 1).id();
            try (FeedReader feed = FeedReader.open(cairn.client, TestCairn.uri(api, "/feed"), "Last-Event-ID",
                    lastId)) {
                List<Event> resumed = feed.commitsUntil(15);

                // at least once: commits 8 and 9 come again; within this connection no stream's revision twice
                assertThat(FeedReader.positions(resumed)).isEqualTo(range(8, 15));
                Map<String, List<Long>> revisions = new HashMap<>();
                for (Event event : resumed) {
                    revisions.computeIfAbsent(event.json().path("stream").asText(), s -> new ArrayList<>())
                            .add(event.json().path("revision").asLong());
                    assertThat(event.id()).as("the durable channel's checkpoint").isEqualTo(
                            Long.toString(event.json().path("position").asLong()));
                }
                revisions.values().forEach(list -> assertThat(list).isSorted().doesNotHaveDuplicates());
                assertThat(released.listeners()).as("a resumed client stays on the durable channel").isZero();
            }
        } finally {
            api.stop();
        }
    }

    @Test
    void without_a_global_order_a_checkpoint_the_durable_channel_does_not_know_is_invalid_input() {
        FakeReleasedCommits released = new FakeReleasedCommits();
        HttpApi api = apiWith(new CommitFeed(released, Optional.empty(), durable()), HttpApi.FEED_KEEP_ALIVE);
        try {
            Response response = cairn.send(HttpRequest.newBuilder(TestCairn.uri(api, "/feed"))
                    .header("Last-Event-ID", "v1 F label 0 -").GET());

            JsonNode problem = assertInvalid(response, "Last-Event-ID");
            assertThat(problem.path("detail").asText()).contains("is not an id this feed gave");
            assertThat(api.openFeeds()).isZero();
        } finally {
            api.stop();
        }
    }

    // --- fixtures ---

    private static HttpApi apiWith(CommitFeed feed, Duration keepAlive) {
        return cairn.anotherApi(Optional.of(cairn.memory), Optional.of(feed), keepAlive);
    }

    private static DurableChannel durable() {
        return new InMemoryDurableChannel(cairn.memory, 10);
    }

    /** A durable channel that delivers every commit twice, and the one before it once more: at least once. */
    private static DurableChannel repeating(DurableChannel channel) {
        return (after, listener) -> {
            RecordedCommit[] previous = new RecordedCommit[1];
            Checkpoint[] previousCheckpoint = new Checkpoint[1];
            return channel.subscribe(after, (commit, checkpoint) -> {
                listener.onCommit(commit, checkpoint);
                listener.onCommit(commit, checkpoint);
                if (previous[0] != null) {
                    listener.onCommit(previous[0], previousCheckpoint[0]);
                }
                previous[0] = commit;
                previousCheckpoint[0] = checkpoint;
            });
        };
    }

    private static Response feed(String header, String value) {
        return cairn.send(HttpRequest.newBuilder(cairn.uri("/feed")).header(header, value).GET());
    }

    private static void append(String stream, String expected, String data) {
        Response response = cairn.post("/streams/" + stream, "{\"expectedRevision\":" + expected
                + ",\"events\":[{\"type\":\"Noted\",\"data\":" + data + "}]}");
        assertThat(response.status()).isEqualTo(201);
    }

    /** Appends {@code count} one-commit streams to the class's store, which the gate releases. */
    private static List<RecordedCommit> appendDirectly(int count) {
        List<RecordedCommit> commits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commits.add(cairn.memory.append(StreamId.of(TestCairn.newStream()), ExpectedRevision.NO_STREAM,
                    Commit.of(UUID.randomUUID(), new EventData("Noted", "{\"i\":" + i + "}"))).commit());
        }
        return commits;
    }

    private static List<RecordedCommit> appendRoundRobin(InMemoryEventStore store, List<StreamId> streams, int count) {
        List<RecordedCommit> commits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commits.add(store.append(streams.get(i % streams.size()), ExpectedRevision.ANY,
                    Commit.of(UUID.randomUUID(), new EventData("Noted", "{}"))).commit());
        }
        return commits;
    }

    private static RecordedCommit synthetic(long position, String data) {
        return RecordedCommit.of(StreamId.of("pad-" + position), 1, 1,
                Commit.of(UUID.randomUUID(), new EventData("Padded", data)), Instant.now(), OptionalLong.of(position));
    }

    private static long lastPosition() {
        long from = 0;
        while (true) {
            JsonNode page = cairn.get("/all?fromPosition=" + from + "&limit=" + GlobalLog.MAX_SLICE).json();
            if (page.path("commits").isEmpty()) {
                return page.path("nextPosition").asLong() - 1;
            }
            from = page.path("nextPosition").asLong();
        }
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    private static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("not within %s: %s", WAIT, what).isNegative();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
