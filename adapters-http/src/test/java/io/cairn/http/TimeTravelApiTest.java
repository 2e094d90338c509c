package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /{collection}/{id}?revision=N} and {@code ?at=<instant>} over real sockets: the state as it was. */
class TimeTravelApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void a_revision_answers_the_state_as_it_was_in_the_shape_of_the_current_one() {
        String id = anAccountWithDeposits(10, 20, 30);
        JsonNode current = cairn.get("/accounts/" + id + "?consistency=strong").json();

        for (int revision = 1; revision <= 4; revision++) {
            Response past = cairn.get("/accounts/" + id + "?revision=" + revision);
            assertThat(past.status()).isEqualTo(200);
            assertThat(past.contentType()).startsWith("application/json");
            assertThat(past.json().path("revision").asLong()).isEqualTo(revision);
            assertThat(past.json().path("balance").asLong()).isEqualTo(List.of(0L, 10L, 30L, 60L).get(revision - 1));
            assertThat(fieldNames(past.json())).isEqualTo(fieldNames(current));
        }
        assertThat(cairn.get("/accounts/" + id + "?revision=4").json()).isEqualTo(current);
    }

    @Test
    void an_instant_answers_the_state_after_the_last_commit_recorded_by_then() {
        String id = anAccountWithDeposits(10, 20);
        List<Instant> recorded = recordedAts(id);

        for (int i = 0; i < recorded.size(); i++) {
            JsonNode past = cairn.get("/accounts/" + id + "?at=" + recorded.get(i)).json();
            assertThat(past.path("revision").asLong()).as("at the commit of revision %d", i + 1).isEqualTo(i + 1);
        }
        assertThat(cairn.get("/accounts/" + id + "?at=2999-01-01T00:00:00Z").json().path("revision").asLong())
                .isEqualTo(3);
        String withOffset = recorded.get(1).atOffset(ZoneOffset.ofHours(2)).toString();
        assertThat(cairn.get("/accounts/" + id + "?at=" + URLEncoder.encode(withOffset, StandardCharsets.UTF_8))
                .json().path("balance").asLong()).as("at %s", withOffset).isEqualTo(10);
    }

    @Test
    void an_instant_before_the_first_commit_is_not_found_and_says_when_the_stream_began() {
        String id = anAccountWithDeposits(10);
        Instant first = recordedAts(id).get(0);

        JsonNode problem = assertProblem(cairn.get("/accounts/" + id + "?at=" + first.minusMillis(1)), 404,
                "account-not-found");

        assertThat(problem.path("accountId").asText()).isEqualTo(id);
        assertThat(Instant.parse(problem.path("firstRecordedAt").asText())).isEqualTo(first);
    }

    @Test
    void a_revision_beyond_the_stream_is_a_400_with_the_current_revision() {
        String id = anAccountWithDeposits(10, 20);

        JsonNode problem = assertProblem(cairn.get("/accounts/" + id + "?revision=4"), 400, "revision-beyond-stream");

        assertThat(problem.path("field").asText()).isEqualTo("revision");
        assertThat(problem.path("revision").asLong()).isEqualTo(4);
        assertThat(problem.path("currentRevision").asLong()).isEqualTo(3);
        assertThat(problem.path("detail").asText()).contains("revision 3");
    }

    @ParameterizedTest(name = "revision={0}")
    @ValueSource(strings = {"0", "-1", "abc", "1.5", "", "+2", "99999999999999999999", "01x"})
    void a_revision_that_is_not_a_positive_integer_is_refused(String revision) {
        String id = anAccountWithDeposits(10);

        JsonNode problem = assertInvalid(cairn.get("/accounts/" + id + "?revision="
                + URLEncoder.encode(revision, StandardCharsets.UTF_8)), "revision");

        assertThat(problem.path("detail").asText()).contains("positive integer");
    }

    @ParameterizedTest(name = "at={0}")
    @ValueSource(strings = {"yesterday", "2026-12-01", "2026-12-01T10:00:00", "2026-13-01T10:00:00Z", "", "1764583200"})
    void a_malformed_instant_is_refused(String at) {
        String id = anAccountWithDeposits(10);

        JsonNode problem = assertInvalid(cairn.get("/accounts/" + id + "?at="
                + URLEncoder.encode(at, StandardCharsets.UTF_8)), "at");

        assertThat(problem.path("detail").asText()).contains("ISO-8601");
    }

    @Test
    void revision_and_at_together_or_with_a_consistency_are_refused() {
        String id = anAccountWithDeposits(10);

        assertInvalid(cairn.get("/accounts/" + id + "?revision=1&at=2026-12-01T10:00:00Z"), "at");
        assertInvalid(cairn.get("/accounts/" + id + "?revision=1&consistency=strong"), "consistency");
        assertInvalid(cairn.get("/accounts/" + id + "?at=2026-12-01T10:00:00Z&consistency=eventual"), "consistency");
    }

    @Test
    void an_aggregate_that_does_not_exist_is_not_found_at_any_revision_or_instant() {
        String id = TestCairn.newAccountId();

        assertProblem(cairn.get("/accounts/" + id + "?revision=1"), 404, "account-not-found");
        assertProblem(cairn.get("/accounts/" + id + "?at=2026-12-01T10:00:00Z"), 404, "account-not-found");
        assertInvalid(cairn.get("/accounts/" + "x".repeat(300) + "?revision=1"), "accountId");
    }

    @Test
    void every_domain_travels_in_time_the_same_way() {
        String sku = "lamp-" + TestCairn.newAccountId();
        assertThat(cairn.post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}")
                .status()).isEqualTo(200);
        assertThat(cairn.post("/products/" + sku + "/receive", "{\"quantity\":3}").status()).isEqualTo(200);

        JsonNode past = cairn.get("/products/" + sku + "?revision=1").json();

        assertThat(past.path("revision").asLong()).isEqualTo(1);
        assertThat(past.path("onHand").asLong()).isZero();
        assertProblem(cairn.get("/products/" + sku + "?revision=3"), 400, "revision-beyond-stream");
    }

    @Test
    void a_past_state_is_never_taken_for_the_current_one() throws InterruptedException {
        String id = anAccountWithDeposits(10, 20);
        cairn.getUntil("/accounts/" + id, r -> r.json().path("revision").asLong() == 3);

        assertThat(cairn.get("/accounts/" + id + "?revision=1").json().path("balance").asLong()).isZero();

        JsonNode eventual = cairn.get("/accounts/" + id).json();
        assertThat(eventual.path("revision").asLong()).isEqualTo(3);
        assertThat(eventual.path("balance").asLong()).isEqualTo(30);
    }

    @Test
    void the_openapi_document_describes_revision_and_at() {
        JsonNode parameters = cairn.get("/openapi.json").json().path("paths").path("/accounts/{id}").path("get")
                .path("parameters");

        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.path("name").asText()));
        assertThat(names).contains("id", "consistency", "revision", "at");
        parameters.forEach(p -> {
            if (p.path("name").asText().equals("at")) {
                assertThat(p.path("schema").path("format").asText()).isEqualTo("date-time");
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** An account opened, then one deposit per amount: revision {@code amounts.length + 1}. */
    private static String anAccountWithDeposits(long... amounts) {
        String id = cairn.anOpenAccount(0);
        for (long amount : amounts) {
            assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":" + amount + "}").status())
                    .isEqualTo(200);
        }
        return id;
    }

    /** When each commit of the account was recorded, as the raw stream API shows it. */
    private static List<Instant> recordedAts(String id) {
        List<Instant> recorded = new ArrayList<>();
        cairn.get("/streams/account-" + id).json().path("commits").forEach(commit ->
                recorded.add(Instant.parse(commit.path("events").path(0).path("recordedAt").asText())));
        return recorded;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
