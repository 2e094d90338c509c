package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import io.cairn.inventory.InventoryDomain;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second domain over the same generic routes as accounts: the inventory's products, with every answer the
 * issue fixes (200 {"id","revision"}, 422 with reason, 404 for a product never registered, 400 naming the field,
 * unknown command 404, Idempotency-Key replays, 413, 415, 503).
 */
class InventoryApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    private static String aProduct(long onHand) {
        String sku = "sku-" + UUID.randomUUID();
        assertThat(cairn.post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}")
                .status()).isEqualTo(200);
        if (onHand > 0) {
            assertThat(cairn.post("/products/" + sku + "/receive", "{\"quantity\":" + onHand + "}").status())
                    .isEqualTo(200);
        }
        return sku;
    }

    @Test
    void a_command_answers_the_id_and_the_revision_and_the_product_shows_every_field_in_order() {
        String sku = "sku-" + UUID.randomUUID();
        Response registered = cairn.post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"north\"}");
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).isEqualTo("{\"id\":\"" + sku + "\",\"revision\":1,\"token\":\""
                + new WriteToken(InventoryDomain.PRODUCTS.streamOf(sku), 1).encode() + "\"}");
        cairn.post("/products/" + sku + "/receive", "{\"quantity\":5}");
        cairn.post("/products/" + sku + "/reserve", "{\"order\":\"o-1\",\"quantity\":2}");

        JsonNode product = cairn.get("/products/" + sku + "?consistency=strong").json();
        List<String> fields = new ArrayList<>();
        for (Iterator<String> names = product.fieldNames(); names.hasNext(); ) {
            fields.add(names.next());
        }
        assertThat(fields).containsExactly("sku", "name", "warehouse", "onHand", "reserved", "available",
                "reservations", "revision");
        assertThat(product.path("available").asLong()).isEqualTo(3);
        assertThat(product.path("reservations").path("o-1").asLong()).isEqualTo(2);
        assertThat(product.path("revision").asLong()).isEqualTo(3);
    }

    @Test
    void rejections_are_422_with_their_reason() {
        String sku = aProduct(3);
        JsonNode short_ = assertProblem(cairn.post("/products/" + sku + "/reserve",
                "{\"order\":\"o-1\",\"quantity\":4}"), 422, "insufficient-stock");
        assertThat(short_.path("reason").asText()).isEqualTo("insufficient_stock");
        assertThat(cairn.post("/products/" + sku + "/reserve", "{\"order\":\"o-1\",\"quantity\":1}").status())
                .isEqualTo(200);
        assertThat(assertProblem(cairn.post("/products/" + sku + "/reserve", "{\"order\":\"o-1\",\"quantity\":1}"),
                422, "already-reserved").path("reason").asText()).isEqualTo("already_reserved");
        assertThat(assertProblem(cairn.post("/products/" + sku + "/release", "{\"order\":\"o-9\"}"), 422,
                "no-reservation").path("reason").asText()).isEqualTo("no_reservation");
        assertThat(assertProblem(cairn.post("/products/" + sku + "/register",
                "{\"name\":\"Lamp\",\"warehouse\":\"north\"}"), 422, "already-registered").path("reason").asText())
                .isEqualTo("already_registered");
    }

    @Test
    void a_product_never_registered_is_404_for_a_query_and_for_every_other_command() {
        String sku = "sku-" + UUID.randomUUID();
        JsonNode get = assertProblem(cairn.get("/products/" + sku), 404, "product-not-found");
        assertThat(get.path("id").asText()).isEqualTo(sku);
        JsonNode receive = assertProblem(cairn.post("/products/" + sku + "/receive", "{\"quantity\":1}"), 404,
                "product-not-found");
        assertThat(receive.path("reason").asText()).isEqualTo("not_registered");
        assertProblem(cairn.post("/products/" + sku + "/ship", "{\"order\":\"o\"}"), 404, "product-not-found");
    }

    @Test
    void a_body_that_does_not_fit_the_command_is_400_naming_the_field_and_stores_nothing() {
        String sku = aProduct(0);
        assertInvalid(cairn.post("/products/" + sku + "/receive", "{\"quantity\":0}"), "quantity");
        assertInvalid(cairn.post("/products/" + sku + "/receive", "{\"quantity\":\"5\"}"), "quantity");
        assertInvalid(cairn.post("/products/" + sku + "/receive", "{\"quantity\":1.5}"), "quantity");
        assertInvalid(cairn.post("/products/" + sku + "/receive", "{}"), "quantity");
        assertInvalid(cairn.post("/products/" + sku + "/receive", "{\"quantity\":1,\"unit\":\"kg\"}"), "unit");
        assertInvalid(cairn.post("/products/" + sku + "/reserve", "{\"quantity\":1}"), "order");
        assertInvalid(cairn.post("/products/sku-" + UUID.randomUUID() + "/register", "{\"name\":\" \",\"warehouse\":\"n\"}"),
                "name");
        assertProblem(cairn.post("/products/" + sku + "/receive", "{\"quantity\":"), 400, "malformed-json");
        assertInvalid(cairn.post("/products/a%20b/register", "{\"name\":\"x\",\"warehouse\":\"n\"}"), "id");
        assertThat(cairn.get("/products/" + sku + "?consistency=strong").json().path("revision").asLong()).isEqualTo(1);
    }

    @Test
    void an_unknown_command_or_collection_is_404() {
        String sku = aProduct(0);
        assertProblem(cairn.post("/products/" + sku + "/explode", "{}"), 404, "not-found");
        assertProblem(cairn.post("/orders/" + sku + "/place", "{}"), 404, "not-found");
        assertProblem(cairn.get("/orders/" + sku), 404, "not-found");
    }

    @Test
    void a_repeated_idempotency_key_replays_the_answer_and_appends_nothing() {
        String sku = aProduct(5);
        UUID key = UUID.randomUUID();
        Response first = cairn.post("/products/" + sku + "/reserve", "{\"order\":\"o-1\",\"quantity\":2}", key);
        Response again = cairn.post("/products/" + sku + "/reserve", "{\"order\":\"o-1\",\"quantity\":2}", key);
        assertThat(again.status()).isEqualTo(first.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header(IdempotencyCache.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(cairn.get("/products/" + sku + "?consistency=strong").json().path("reserved").asLong())
                .isEqualTo(2);
    }

    @Test
    void a_body_that_is_too_large_or_not_json_is_refused_and_stores_nothing() {
        String sku = aProduct(0);
        String huge = "{\"quantity\":1,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(cairn.post("/products/" + sku + "/receive", huge), 413, "request-too-large");
        Response text = cairn.send(HttpRequest.newBuilder(cairn.uri("/products/" + sku + "/receive"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}")));
        assertProblem(text, 415, "unsupported-media-type");
        assertThat(cairn.get("/products/" + sku + "?consistency=strong").json().path("onHand").asLong()).isZero();
    }

    @Test
    void a_store_outage_is_503_and_the_retry_with_the_same_key_succeeds_once() {
        String sku = aProduct(0);
        UUID key = UUID.randomUUID();
        cairn.store.goDown();
        try {
            assertProblem(cairn.post("/products/" + sku + "/receive", "{\"quantity\":4}", key), 503,
                    "store-unavailable");
        } finally {
            cairn.store.reset();
        }
        assertThat(cairn.post("/products/" + sku + "/receive", "{\"quantity\":4}", key).status()).isEqualTo(200);
        assertThat(cairn.post("/products/" + sku + "/receive", "{\"quantity\":4}", key).status()).isEqualTo(200);
        assertThat(cairn.get("/products/" + sku + "?consistency=strong").json().path("onHand").asLong()).isEqualTo(4);
    }

    @Test
    void the_raw_stream_api_refuses_the_products_category() {
        assertInvalid(cairn.post("/streams/product-" + UUID.randomUUID(),
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"StockReceived\",\"data\":{\"quantity\":1}}]}"),
                "stream");
    }
}
