package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.http.TestCairn.Response;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void metrics_are_served_as_prometheus_text_with_what_the_registry_holds() {
        Counter.builder("cairn.test.marker").register(cairn.metrics).increment(3);

        Response response = cairn.get("/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.body()).contains("cairn_test_marker_total 3.0");
    }

    @Test
    void every_request_is_timed_by_route_template_not_by_its_path() {
        String id = cairn.anOpenAccount(0);
        cairn.get("/accounts/" + id);
        cairn.get("/no/such/route");

        String metrics = cairn.get("/metrics").body();

        assertThat(metrics).contains("cairn_http_requests_seconds_count{method=\"POST\",route=\"/accounts/{id}/open\",status=\"200\"}")
                .contains("route=\"/accounts/{id}\",status=\"200\"")
                .contains("route=\"unmatched\",status=\"404\"")
                .doesNotContain(id);
    }

    @Test
    void each_method_route_and_status_counts_its_own_requests() {
        String id = cairn.anOpenAccount(0);
        String found = "cairn_http_requests_seconds_count{method=\"GET\",route=\"/accounts/{id}\",status=\"200\"}";
        String missing = "cairn_http_requests_seconds_count{method=\"GET\",route=\"/accounts/{id}\",status=\"404\"}";
        String refused = "cairn_http_requests_seconds_count{method=\"POST\",route=\"/accounts/{id}/deposit\","
                + "status=\"400\"}";
        String before = cairn.get("/metrics").body();
        for (int i = 0; i < 3; i++) {
            assertThat(cairn.get("/accounts/" + id).status()).isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(cairn.get("/accounts/" + TestCairn.newAccountId()).status()).isEqualTo(404);
        }
        assertThat(cairn.post("/accounts/" + id + "/deposit", "{\"amount\":\"lots\"}").status()).isEqualTo(400);

        String after = cairn.get("/metrics").body();

        assertThat(count(after, found) - count(before, found)).isEqualTo(3);
        assertThat(count(after, missing) - count(before, missing)).isEqualTo(2);
        assertThat(count(after, refused) - count(before, refused)).isEqualTo(1);
    }

    /** The value of the Prometheus sample {@code series}; 0 when it is not there yet. */
    private static long count(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
