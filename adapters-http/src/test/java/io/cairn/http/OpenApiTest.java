package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} against what Javalin really serves: a route served without being documented, or
 * documented without being served, fails here; and the document validates with swagger-parser.
 */
class OpenApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @TempDir
    static Path dir;

    @Test
    void every_served_route_is_documented_and_every_documented_route_is_served() {
        JsonNode document = cairn.get("/openapi.json").json();
        assertThat(documented(document)).isEqualTo(served(cairn.api));
        assertThat(cairn.api.servedRoutes()).contains("GET /health", "POST /streams/{stream}", "GET /openapi.json");
    }

    @Test
    void the_document_is_valid_openapi_3_1() {
        String text = cairn.get("/openapi.json").body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths()).containsKey("/streams/{stream}");
        assertThat(parsed.getOpenAPI().getComponents().getSchemas()).containsKeys("Problem", "StreamAppend");

        // the parser does find faults: no info, an operation without responses
        SwaggerParseResult broken = new OpenAPIV3Parser().readContents(
                "{\"openapi\":\"3.1.0\",\"paths\":{\"/x\":{\"get\":{\"summary\":1}}}}", null, options);
        assertThat(broken.getMessages()).isNotEmpty();
    }

    @Test
    void every_command_of_every_domain_is_documented_with_a_body_answers_and_problems() {
        JsonNode paths = cairn.get("/openapi.json").json().path("paths");
        int commands = 0;
        for (AggregateEndpoint<?, ?, ?> endpoint : cairn.endpoints) {
            String collection = endpoint.type().collection();
            for (String command : endpoint.type().commands().keySet()) {
                JsonNode post = paths.path("/" + collection + "/{id}/" + command).path("post");
                assertThat(post.path("requestBody").path("content").has("application/json"))
                        .as(collection + " " + command).isTrue();
                assertThat(post.path("responses").path("200").path("content").path("application/json")
                        .path("schema").path("properties").has(endpoint.type().idField())).isTrue();
                assertThat(post.path("responses").has("422")).isTrue();
                assertThat(post.path("responses").path("409").path("$ref").asText())
                        .isEqualTo("#/components/responses/Problem409");
                assertThat(post.path("x-cairn-access").asText()).isEqualTo("write");
                commands++;
            }
            assertThat(paths.path("/" + collection + "/{id}").has("get")).isTrue();
        }
        assertThat(commands).isEqualTo(4 + 5); // accounts and products
    }

    @Test
    void a_commands_body_is_described_from_the_record_it_is_read_into() {
        JsonNode paths = cairn.get("/openapi.json").json().path("paths");
        JsonNode deposit = body(paths, "/accounts/{id}/deposit");
        assertThat(deposit.path("properties").path("amount").path("type").asText()).isEqualTo("integer");
        assertThat(deposit.path("additionalProperties").asBoolean(true)).isFalse();
        JsonNode reserve = body(paths, "/products/{id}/reserve");
        assertThat(reserve.path("properties").path("order").path("type").asText()).isEqualTo("string");
        assertThat(reserve.path("required")).extracting(JsonNode::asText).containsExactly("quantity");
        JsonNode close = body(paths, "/accounts/{id}/close");
        assertThat(close.path("properties")).isEmpty();
        assertThat(close.path("additionalProperties").asBoolean(true)).isFalse();
    }

    private static JsonNode body(JsonNode paths, String path) {
        return paths.path(path).path("post").path("requestBody").path("content").path("application/json")
                .path("schema");
    }

    @Test
    void with_authentication_the_document_names_the_bearer_scheme_and_each_routes_role() {
        String key = ApiKeyFiles.newKey();
        Path keys = ApiKeyFiles.write(dir.resolve("keys"), ApiKeyFiles.line("reader", "read", key));
        try (TestCairn secured = TestCairn.start(HttpSecurity.open().withAuthentication(
                new Authentication.ApiKeys(keys)).withMetricsAccess(Access.OPEN))) {
            JsonNode document = secured.get("/openapi.json", key).json();
            assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                    .isEqualTo("bearer");
            JsonNode health = document.path("paths").path("/health").path("get");
            assertThat(health.path("security")).isEmpty();
            assertThat(health.path("responses").has("401")).isFalse();
            assertThat(document.path("paths").path("/metrics").path("get").path("x-cairn-access").asText())
                    .isEqualTo("open");
            JsonNode append = document.path("paths").path("/streams/{stream}").path("post");
            assertThat(append.path("security").get(0).has("bearer")).isTrue();
            assertThat(append.path("responses").path("401").path("$ref").asText())
                    .isEqualTo("#/components/responses/Problem401");
            assertThat(append.path("responses").has("403")).isTrue();
            assertThat(documented(document)).isEqualTo(served(secured.api));
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString(), null, new ParseOptions());
            assertThat(parsed.getMessages()).isEmpty();
        }
    }

    /** Every {@code METHOD /path} Javalin serves, written as OpenAPI writes paths ({@code <key>} as {@code {key}}). */
    static Set<String> served(HttpApi api) {
        Set<String> routes = new TreeSet<>();
        for (String route : api.servedRoutes()) {
            routes.add(OpenApi.documented(route));
        }
        return routes;
    }

    /** Every {@code METHOD /path} the document names. */
    static Set<String> documented(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        Iterator<String> paths = document.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            document.path("paths").path(path).fieldNames()
                    .forEachRemaining(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }
        return routes;
    }
}
