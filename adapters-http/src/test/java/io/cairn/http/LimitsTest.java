package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit over real sockets: the request rate (429), feed subscribers (503), events per commit and bytes (413). */
class LimitsTest {

    private static final String TICK = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"Ticked\",\"data\":{}}]}";

    @TempDir
    Path dir;

    @Test
    void a_caller_over_its_rate_gets_429_with_retry_after_and_another_caller_is_not_held_back() {
        String first = ApiKeyFiles.newKey();
        String second = ApiKeyFiles.newKey();
        Path keys = ApiKeyFiles.write(dir.resolve("keys"), ApiKeyFiles.line("first", "write", first),
                ApiKeyFiles.line("second", "write", second));
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open()
                .withAuthentication(new Authentication.ApiKeys(keys))
                .withLimits(Limits.unlimited().withRequestRate(1, 3)))) {
            for (int i = 0; i < 3; i++) {
                assertThat(cairn.get("/all", first).status()).isEqualTo(200);
            }
            long before = cairn.storedCommits();
            // a slow machine may have refilled a token meanwhile: spend it
            for (int i = 0; i < 100 && cairn.get("/all", first).status() != 429; i++) {
                // the next one
            }
            Response refused = cairn.postAs(first, "/streams/" + TestCairn.newStream(), TICK);
            JsonNode problem = assertProblem(refused, 429, "too-many-requests");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
            assertThat(problem.path("requestsPerSecond").asLong()).isEqualTo(1);
            assertThat(cairn.storedCommits()).as("a refused request stores nothing").isEqualTo(before);

            assertThat(cairn.postAs(second, "/streams/" + TestCairn.newStream(), TICK).status()).isEqualTo(201);
        }
    }

    @Test
    void without_authentication_the_rate_goes_by_client_address_and_health_counts_too() {
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open().withLimits(Limits.unlimited().withRequestRate(1, 2)))) {
            assertThat(cairn.get("/health").status()).isEqualTo(200);
            assertThat(cairn.get("/all").status()).isEqualTo(200);
            Response refused = cairn.get("/all");
            for (int i = 0; i < 100 && refused.status() != 429; i++) {
                refused = cairn.get("/all"); // a slow machine may have refilled a token meanwhile
            }
            assertProblem(refused, 429, "too-many-requests");
            assertProblem(cairn.get("/health"), 429, "too-many-requests");
        }
    }

    @Test
    void the_feed_takes_at_most_its_subscribers_and_a_freed_place_is_taken_again() throws Exception {
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open().withLimits(Limits.unlimited().withFeedSubscribers(2)));
             FeedReader one = FeedReader.open(cairn.client, cairn.uri("/feed"));
             FeedReader two = FeedReader.open(cairn.client, cairn.uri("/feed"))) {
            Response third = cairn.get("/feed");
            JsonNode problem = assertProblem(third, 503, "too-many-subscribers");
            assertThat(third.header("Retry-After")).isEqualTo(FeedController.FEED_RETRY_AFTER_SECONDS);
            assertThat(problem.path("limit").asInt()).isEqualTo(2);

            one.close();
            // the server finds the reader gone at its next write: give it one
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            FeedReader again = null;
            while (again == null && System.nanoTime() < deadline) {
                assertThat(cairn.post("/streams/" + TestCairn.newStream(), TICK).status()).isEqualTo(201);
                FeedReader attempt = FeedReader.connect(cairn.client, cairn.uri("/feed"));
                if (attempt.status() == 200) {
                    again = attempt;
                } else {
                    attempt.close();
                    Thread.sleep(50);
                }
            }
            assertThat(again).as("a place freed by a reader that left").isNotNull();
            again.close();
        }
    }

    @Test
    void a_commit_of_more_events_than_the_limit_is_413_and_stores_nothing() {
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open().withLimits(Limits.unlimited().withEvents(2, 1_000)))) {
            String stream = TestCairn.newStream();
            String three = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1},{\"type\":\"T\",\"data\":2},"
                    + "{\"type\":\"T\",\"data\":3}]}";
            JsonNode problem = assertProblem(cairn.post("/streams/" + stream, three), 413, "too-many-events");
            assertThat(problem.path("limit").asInt()).isEqualTo(2);
            assertThat(problem.path("count").asInt()).isEqualTo(3);
            assertThat(cairn.get("/streams/" + stream).status()).isEqualTo(404);
            assertThat(cairn.post("/streams/" + stream, TICK).status()).isEqualTo(201);
        }
    }

    @Test
    void an_event_over_the_size_limit_is_413_naming_it_and_stores_nothing() {
        try (TestCairn cairn = TestCairn.start(HttpSecurity.open().withLimits(Limits.unlimited().withEvents(10, 100)))) {
            String stream = TestCairn.newStream();
            String body = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1},"
                    + "{\"type\":\"T\",\"data\":\"" + "x".repeat(200) + "\"}]}";
            JsonNode problem = assertProblem(cairn.post("/streams/" + stream, body), 413, "event-too-large");
            assertThat(problem.path("field").asText()).isEqualTo("events[1]");
            assertThat(problem.path("limit").asLong()).isEqualTo(100);
            assertThat(cairn.storedCommits()).isZero();
        }
    }

    @Test
    void the_defaults_are_documented_values() {
        Limits defaults = Limits.defaults();
        assertThat(defaults.requestsPerSecond()).isEqualTo(1_000);
        assertThat(defaults.requestBurst()).isEqualTo(2_000);
        assertThat(defaults.feedSubscribers()).isEqualTo(100);
        assertThat(defaults.eventsPerCommit()).isEqualTo(1_000);
        assertThat(defaults.eventBytes()).isEqualTo(256 * 1024);
    }
}
