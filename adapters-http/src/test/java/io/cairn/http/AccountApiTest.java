package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void an_account_goes_through_its_whole_life_over_http() throws InterruptedException {
        String id = TestCairn.newAccountId();
        String path = "/accounts/" + id;

        Response opened = cairn.post(path + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":20}");
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.contentType()).startsWith("application/json");
        assertThat(opened.json().path("accountId").asText()).isEqualTo(id);
        assertThat(opened.json().path("revision").asLong()).isEqualTo(1);

        assertThat(cairn.post(path + "/deposit", "{\"amount\":100}").json().path("revision").asLong()).isEqualTo(2);
        assertThat(cairn.post(path + "/withdraw", "{\"amount\":110}").json().path("revision").asLong()).isEqualTo(3);

        JsonNode strong = cairn.get(path + "?consistency=strong").json();
        assertThat(strong.path("accountId").asText()).isEqualTo(id);
        assertThat(strong.path("owner").asText()).isEqualTo("Ada");
        assertThat(strong.path("currency").asText()).isEqualTo("EUR");
        assertThat(strong.path("balance").asLong()).isEqualTo(-10);
        assertThat(strong.path("overdraftLimit").asLong()).isEqualTo(20);
        assertThat(strong.path("status").asText()).isEqualTo("OPEN");
        assertThat(strong.path("revision").asLong()).isEqualTo(3);

        Response eventual = cairn.getUntil(path + "?consistency=eventual",
                r -> r.status() == 200 && r.json().path("revision").asLong() == 3);
        assertThat(eventual.json()).isEqualTo(strong);
        Response byDefault = cairn.getUntil(path, r -> r.json().path("revision").asLong() == 3);
        assertThat(byDefault.json()).isEqualTo(strong);

        assertThat(cairn.post(path + "/deposit", "{\"amount\":10}").status()).isEqualTo(200);
        Response closed = cairn.post(path + "/close", "{}");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().path("revision").asLong()).isEqualTo(5);

        JsonNode after = cairn.get(path + "?consistency=strong").json();
        assertThat(after.path("status").asText()).isEqualTo("CLOSED");
        assertThat(after.path("balance").asLong()).isZero();
        assertThat(after.path("revision").asLong()).isEqualTo(5);
    }

    @Test
    void an_account_opened_without_an_overdraft_limit_has_none() {
        String id = TestCairn.newAccountId();
        assertThat(cairn.post("/accounts/" + id + "/open", "{\"owner\":\"Bo\",\"currency\":\"USD\"}").status())
                .isEqualTo(200);
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("overdraftLimit").asLong())
                .isZero();
    }

    @Test
    void close_accepts_an_empty_body_and_a_missing_content_type() {
        String id = cairn.anOpenAccount(0);
        Response closed = cairn.send(java.net.http.HttpRequest.newBuilder(cairn.uri("/accounts/" + id + "/close"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().path("revision").asLong()).isEqualTo(2);
    }

    @Test
    void commands_without_an_idempotency_key_are_each_applied() {
        String id = cairn.anOpenAccount(0);
        cairn.post("/accounts/" + id + "/deposit", "{\"amount\":5}");
        cairn.post("/accounts/" + id + "/deposit", "{\"amount\":5}");
        assertThat(cairn.get("/accounts/" + id + "?consistency=strong").json().path("balance").asLong())
                .isEqualTo(10);
    }
}
