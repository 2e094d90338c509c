package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The document projections over HTTP: the inventory's {@code orders} and {@code warehouses}, fed by the merge on the
 * in-memory store; reading one's own write with the command's token; listing in key order with a cursor; what
 * {@code GET /projections} shows; and the bad inputs.
 */
class ViewsApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String product(String warehouse, long onHand) {
        String sku = unique("sku-");
        assertThat(cairn.post("/products/" + sku + "/register", "{\"name\":\"Lamp\",\"warehouse\":\"" + warehouse
                + "\"}").status()).isEqualTo(200);
        assertThat(cairn.post("/products/" + sku + "/receive", "{\"quantity\":" + onHand + "}").status())
                .isEqualTo(200);
        return sku;
    }

    @Test
    void a_client_reads_its_own_write_from_a_cross_stream_view_with_the_commands_token() {
        String warehouse = unique("w-");
        String order = unique("o-");
        String lamp = product(warehouse, 10);
        String desk = product(warehouse, 4);
        cairn.post("/products/" + lamp + "/reserve", "{\"order\":\"" + order + "\",\"quantity\":3}");
        Response reserved = cairn.post("/products/" + desk + "/reserve", "{\"order\":\"" + order
                + "\",\"quantity\":1}");
        String token = reserved.json().path("token").asText();
        assertThat(token).startsWith("w1.");

        Response read = cairn.get("/views/orders/" + order + "?after=" + token + "&wait=2s");

        assertThat(read.status()).isEqualTo(200);
        JsonNode document = read.json();
        assertThat(document.path("order").asText()).isEqualTo(order);
        assertThat(document.path("lines").path(lamp).path("quantity").asLong()).isEqualTo(3);
        assertThat(document.path("lines").path(lamp).path("status").asText()).isEqualTo("reserved");
        assertThat(document.path("lines").path(desk).path("quantity").asLong()).isEqualTo(1);
        assertThat(read.header("ETag")).isNotNull();

        Response shipped = cairn.post("/products/" + lamp + "/ship", "{\"order\":\"" + order + "\"}");
        JsonNode after = cairn.get("/views/orders/" + order + "?after=" + shipped.json().path("token").asText())
                .json();
        assertThat(after.path("lines").path(lamp).path("status").asText()).isEqualTo("shipped");

        Response released = cairn.post("/products/" + desk + "/release", "{\"order\":\"" + order + "\"}");
        assertThat(cairn.get("/views/orders/" + order + "?after=" + released.json().path("token").asText())
                .json().path("lines").has(desk)).isFalse();

        Response warehouseTotals = cairn.get("/views/warehouses/" + warehouse + "?after="
                + released.json().path("token").asText());
        assertThat(warehouseTotals.json().path("products").asLong()).isEqualTo(2);
        assertThat(warehouseTotals.json().path("onHand").asLong()).isEqualTo(11);
        assertThat(warehouseTotals.json().path("reserved").asLong()).isZero();
    }

    @Test
    void an_order_with_no_line_left_is_deleted_and_then_404() {
        String order = unique("o-");
        String sku = product(unique("w-"), 2);
        cairn.post("/products/" + sku + "/reserve", "{\"order\":\"" + order + "\",\"quantity\":2}");
        Response released = cairn.post("/products/" + sku + "/release", "{\"order\":\"" + order + "\"}");

        JsonNode missing = assertProblem(cairn.get("/views/orders/" + order + "?after="
                + released.json().path("token").asText()), 404, "document-not-found");
        assertThat(missing.path("key").asText()).isEqualTo(order);
    }

    @Test
    void a_listing_is_in_key_order_paged_with_a_next_cursor() {
        String prefix = unique("list-");
        String lastToken = null;
        for (int i = 0; i < 5; i++) {
            lastToken = registered(prefix + "-" + i);
        }

        List<String> keys = new ArrayList<>();
        JsonNode page = cairn.get("/views/warehouses?prefix=" + prefix + "&limit=2&after=" + lastToken).json();
        while (true) {
            page.path("documents").forEach(document -> {
                keys.add(document.path("key").asText());
                assertThat(document.path("document").path("warehouse").asText())
                        .isEqualTo(document.path("key").asText());
                assertThat(document.path("version").asLong()).isPositive();
            });
            if (page.path("next").isNull()) {
                break;
            }
            assertThat(page.path("documents")).hasSize(2);
            page = cairn.get("/views/warehouses?prefix=" + prefix + "&limit=2&after=" + page.path("next").asText())
                    .json();
        }
        assertThat(keys).containsExactly(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");
    }

    private static String registered(String warehouse) {
        Response response = cairn.post("/products/" + unique("sku-") + "/register", "{\"name\":\"Lamp\","
                + "\"warehouse\":\"" + warehouse + "\"}");
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("token").asText();
    }

    @Test
    void raw_appends_answer_a_token_too() {
        Response appended = cairn.post("/streams/notes-" + UUID.randomUUID(), "{\"expectedRevision\":\"any\","
                + "\"events\":[{\"type\":\"Noted\",\"data\":{}}]}");
        assertThat(appended.status()).isEqualTo(201);
        String token = appended.json().path("token").asText();

        // a view that does not follow the stream's category has nothing to wait for
        assertThat(cairn.get("/views/warehouses?after=" + token + "&limit=1").status()).isEqualTo(200);
    }

    @Test
    void projections_show_every_projection_and_how_far_it_got() {
        registered(unique("w-"));

        JsonNode projections = cairn.get("/projections").json().path("projections");

        List<String> names = new ArrayList<>();
        projections.forEach(projection -> names.add(projection.path("name").asText()));
        assertThat(names).contains("orders", "warehouses", "live-feed");
        JsonNode warehouses = null;
        for (JsonNode projection : projections) {
            if (projection.path("name").asText().equals("warehouses")) {
                warehouses = projection;
            }
        }
        assertThat(warehouses.path("kind").asText()).isEqualTo("documents");
        assertThat(warehouses.path("follows").get(0).asText()).isEqualTo("product");
        assertThat(warehouses.path("ordering").asText()).isEqualTo("global-position");
        assertThat(warehouses.path("state").asText()).isIn("running", "catching-up");
        assertThat(warehouses.has("commitsBehind")).isTrue();
        assertThat(warehouses.has("lagMillis")).isTrue();
        assertThat(warehouses.has("failure")).isFalse();
    }

    @Test
    void bad_inputs_are_400_and_unknown_names_404() {
        assertProblem(cairn.get("/views/nothing-here/k"), 404, "projection-not-found");
        assertProblem(cairn.get("/views/nothing-here"), 404, "projection-not-found");
        assertProblem(cairn.get("/views/warehouses/never-written"), 404, "document-not-found");
        assertInvalid(cairn.get("/views/warehouses/k?after=not-a-token"), "after");
        assertInvalid(cairn.get("/views/warehouses/k?after=w1.%25%25.3"), "after");
        assertInvalid(cairn.get("/views/warehouses?after=c1.!!"), "after");
        assertInvalid(cairn.get("/views/warehouses?after=garbage"), "after");
        assertInvalid(cairn.get("/views/warehouses?limit=0"), "limit");
        assertInvalid(cairn.get("/views/warehouses?limit=1001"), "limit");
        assertInvalid(cairn.get("/views/warehouses?limit=ten"), "limit");
        assertInvalid(cairn.get("/views/warehouses/k?wait=2s"), "wait");
        String token = registered(unique("w-"));
        assertInvalid(cairn.get("/views/warehouses/k?after=" + token + "&wait=soon"), "wait");
        assertInvalid(cairn.get("/views/warehouses/k?after=" + token + "&wait=31s"), "wait");
    }

    @Test
    void a_write_the_view_cannot_have_applied_in_time_is_504() {
        // a token for a revision the stream does not have yet: nothing can apply it
        String warehouse = unique("w-");
        String token = registered(warehouse);
        String future = token.substring(0, token.lastIndexOf('.') + 1) + "99";

        assertProblem(cairn.get("/views/warehouses/" + warehouse + "?after=" + future + "&wait=200ms"), 504,
                "write-not-applied-yet");
    }
}
