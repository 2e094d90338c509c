package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.http.TestCairn.Response;

/** What every problem answer must look like. */
final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /**
     * Asserts an RFC 9457 problem of {@code status} and type {@code urn:cairn:problem:<slug>}, with a title and a
     * detail, and no stack trace; returns its body for further checks.
     */
    static JsonNode assertProblem(Response response, int status, String slug) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).isEqualTo("urn:cairn:problem:" + slug);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("at io.", "at java.", "Exception", "<html");
        return problem;
    }

    /** A 400 {@code invalid-input} naming {@code field}. */
    static JsonNode assertInvalid(Response response, String field) {
        JsonNode problem = assertProblem(response, 400, "invalid-input");
        assertThat(problem.path("field").asText()).isEqualTo(field);
        return problem;
    }
}
