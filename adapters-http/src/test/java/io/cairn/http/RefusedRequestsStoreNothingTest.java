package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.http.TestCairn.Response;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of issue 14, on commands and raw appends alike, leaves the store as it was: 401 (no key, unknown
 * key), 403 (a reader writing), 429 (over the rate), 413 (too many events, an event too large), 400 (a client's own
 * principal).
 */
class RefusedRequestsStoreNothingTest {

    private static final String TICK = "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{}}]}";

    @TempDir
    static Path dir;
    static final String READER = ApiKeyFiles.newKey();
    static final String WRITER = ApiKeyFiles.newKey();
    static final String THROTTLED = ApiKeyFiles.newKey();
    static TestCairn cairn;
    static String account;

    @BeforeAll
    static void start() {
        Path keys = ApiKeyFiles.write(dir.resolve("keys"), ApiKeyFiles.line("reader", "read", READER),
                ApiKeyFiles.line("writer", "write", WRITER), ApiKeyFiles.line("throttled", "write", THROTTLED));
        cairn = TestCairn.start(HttpSecurity.open()
                .withAuthentication(new Authentication.ApiKeys(keys))
                .withLimits(Limits.unlimited().withRequestRate(1, 50).withEvents(3, 200)));
        account = TestCairn.newAccountId();
        assertThat(cairn.postAs(WRITER, "/accounts/" + account + "/open",
                "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        cairn.close();
    }

    @Test
    void refused_without_a_key_or_with_an_unknown_one() {
        assertStoresNothing(401, "unauthorized", () -> cairn.post(deposit(), "{\"amount\":10}"));
        assertStoresNothing(401, "unauthorized", () -> cairn.post("/streams/" + TestCairn.newStream(), TICK));
        assertStoresNothing(401, "unauthorized", () -> cairn.postAs(ApiKeyFiles.newKey(), deposit(), "{\"amount\":10}"));
    }

    @Test
    void refused_for_a_missing_role() {
        assertStoresNothing(403, "forbidden", () -> cairn.postAs(READER, deposit(), "{\"amount\":10}"));
        assertStoresNothing(403, "forbidden", () -> cairn.postAs(READER, "/streams/" + TestCairn.newStream(), TICK));
    }

    @Test
    void refused_over_the_rate() {
        assertStoresNothing(429, "too-many-requests", () -> {
            exhaust(THROTTLED);
            return cairn.postAs(THROTTLED, deposit(), "{\"amount\":10}");
        });
        assertStoresNothing(429, "too-many-requests", () -> {
            exhaust(THROTTLED);
            return cairn.postAs(THROTTLED, "/streams/" + TestCairn.newStream(), TICK);
        });
    }

    @Test
    void refused_for_too_many_or_too_large_events_or_a_forged_principal() {
        assertStoresNothing(413, "too-many-events", () -> cairn.postAs(WRITER, "/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[" + "{\"type\":\"T\",\"data\":1},".repeat(3)
                        + "{\"type\":\"T\",\"data\":1}]}"));
        assertStoresNothing(413, "event-too-large", () -> cairn.postAs(WRITER, "/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":\"" + "x".repeat(300) + "\"}]}"));
        assertStoresNothing(400, "invalid-input", () -> cairn.postAs(WRITER, "/streams/" + TestCairn.newStream(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":1,"
                        + "\"metadata\":{\"principal\":\"reader\"}}]}"));
    }

    private static void assertStoresNothing(int status, String slug, Supplier<Response> request) {
        long before = cairn.storedCommits();
        assertProblem(request.get(), status, slug);
        assertThat(cairn.storedCommits()).as("commits stored after a %d", status).isEqualTo(before);
        assertThat(cairn.get("/accounts/" + account + "?consistency=strong", WRITER).json().path("balance").asLong())
                .isZero();
    }

    /** Spends the caller's bucket: GETs until one is refused. */
    private static void exhaust(String key) {
        for (int i = 0; i < 500 && cairn.get("/all?limit=1", key).status() != 429; i++) {
            // the next one
        }
    }

    private static String deposit() {
        return "/accounts/" + account + "/deposit";
    }
}
