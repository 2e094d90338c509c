package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GlobalLogApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void commits_of_every_stream_read_back_in_global_order_with_their_positions() {
        String a = TestCairn.newStream();
        String b = TestCairn.newStream();
        long start = nextPosition();
        append(a, "\"no_stream\"", "{\"n\":1}");
        append(b, "\"no_stream\"", "{\"n\":2}");
        append(a, "1", "{\"n\":3}");

        JsonNode all = cairn.get("/all?fromPosition=" + start + "&limit=10").json();

        JsonNode commits = all.path("commits");
        assertThat(commits).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(commits.get(i).path("position").asLong()).isEqualTo(start + i);
            assertThat(commits.get(i).path("events").get(0).path("data").path("n").asInt()).isEqualTo(i + 1);
        }
        assertThat(commits.get(0).path("stream").asText()).isEqualTo(a);
        assertThat(commits.get(1).path("stream").asText()).isEqualTo(b);
        assertThat(commits.get(2).path("stream").asText()).isEqualTo(a);
        assertThat(commits.get(2).path("revision").asLong()).isEqualTo(2);
        assertThat(commits.get(2).path("commitId").asText()).hasSize(36);
        assertThat(commits.get(2).path("events").get(0).path("eventNumber").asLong()).isEqualTo(2);
        assertThat(all.path("nextPosition").asLong()).isEqualTo(start + 3);
    }

    @Test
    void following_next_position_pages_through_everything_once() {
        String stream = TestCairn.newStream();
        long start = nextPosition();
        for (int i = 0; i < 5; i++) {
            append(stream, i == 0 ? "\"no_stream\"" : Integer.toString(i), "{\"n\":" + i + "}");
        }

        List<Long> revisions = new ArrayList<>();
        long from = start;
        while (true) {
            JsonNode page = cairn.get("/all?fromPosition=" + from + "&limit=2").json();
            if (page.path("commits").isEmpty()) {
                break;
            }
            assertThat(page.path("commits").size()).isLessThanOrEqualTo(2);
            page.path("commits").forEach(c -> revisions.add(c.path("revision").asLong()));
            from = page.path("nextPosition").asLong();
        }

        assertThat(revisions).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void defaults_read_from_the_beginning() {
        append(TestCairn.newStream(), "\"no_stream\"", "{}");

        JsonNode all = cairn.get("/all").json();

        assertThat(all.path("commits").get(0).path("position").asLong()).isEqualTo(1);
    }

    @Test
    void bad_positions_and_limits_are_invalid_input() {
        assertInvalid(cairn.get("/all?fromPosition=-1"), "fromPosition");
        assertInvalid(cairn.get("/all?fromPosition=abc"), "fromPosition");
        assertInvalid(cairn.get("/all?limit=0"), "limit");
        assertInvalid(cairn.get("/all?limit=1001"), "limit");
    }

    @Test
    void a_store_without_a_global_order_answers_501() {
        HttpApi dynamoLike = cairn.anotherApi(Optional.empty());
        try {
            Response response = cairn.send(HttpRequest.newBuilder(TestCairn.uri(dynamoLike, "/all")).GET());

            JsonNode problem = assertProblem(response, 501, "no-global-order");
            assertThat(problem.path("detail").asText()).contains("/streams/");
        } finally {
            dynamoLike.stop();
        }
    }

    private static long nextPosition() {
        long from = 0;
        while (true) {
            JsonNode page = cairn.get("/all?fromPosition=" + from + "&limit=1000").json();
            if (page.path("commits").isEmpty()) {
                return page.path("nextPosition").asLong();
            }
            from = page.path("nextPosition").asLong();
        }
    }

    private static void append(String stream, String expected, String data) {
        Response response = cairn.post("/streams/" + stream, "{\"expectedRevision\":" + expected
                + ",\"events\":[{\"type\":\"Noted\",\"data\":" + data + "}]}");
        assertThat(response.status()).isEqualTo(201);
    }
}
