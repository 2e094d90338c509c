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
}
