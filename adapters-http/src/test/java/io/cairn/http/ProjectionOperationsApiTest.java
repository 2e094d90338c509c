package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /projections/{name}/retry} and {@code .../skip} on an API wired without a {@code ProjectionControl}
 * (the default binding): 501, whatever the name; and the {@code skipped} list every projection shows. The answers of
 * a real control are tested on the whole service (bootstrap's {@code ProjectionOperationsServiceTest}).
 */
class ProjectionOperationsApiTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void without_a_projection_control_retry_and_skip_answer_501() {
        for (String operation : new String[] {"retry", "skip"}) {
            JsonNode problem = assertProblem(cairn.post("/projections/owners/" + operation, ""), 501,
                    "projection-control-unsupported");
            assertThat(problem.path("projection").asText()).isEqualTo("owners");
        }
    }

    @Test
    void every_projection_shows_its_skip_list_empty_or_not() {
        JsonNode projections = cairn.get("/projections").json().path("projections");
        assertThat(projections).isNotEmpty();
        for (JsonNode projection : projections) {
            assertThat(projection.path("skipped").isArray()).as(projection.toString()).isTrue();
            assertThat(projection.path("skipped")).isEmpty();
        }
    }
}
