package io.cairn.http;

import static io.cairn.http.ProblemAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cairn.auth.mode = none}: everyone may do everything, as anonymous, and still cannot name a principal. */
class NoAuthenticationTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass(HttpSecurity.open().withLimits(Limits.defaults()));

    @Test
    void commits_record_the_anonymous_principal() {
        String id = cairn.anOpenAccount(5);
        for (JsonNode commit : cairn.get("/streams/account-" + id).json().path("commits")) {
            assertThat(commit.path("metadata").path("principal").asText()).isEqualTo("anonymous");
        }
        String stream = TestCairn.newStream();
        assertThat(cairn.post("/streams/" + stream,
                "{\"expectedRevision\":\"any\",\"events\":[{\"type\":\"T\",\"data\":{}}]}").status()).isEqualTo(201);
        assertThat(cairn.get("/streams/" + stream).json().path("commits").get(0).path("metadata")
                .path("principal").asText()).isEqualTo("anonymous");
    }

    @Test
    void a_bearer_credential_is_ignored_and_a_clients_principal_is_still_refused() {
        String stream = TestCairn.newStream();
        assertInvalid(cairn.postAs("anything", "/streams/" + stream, "{\"expectedRevision\":\"any\",\"events\":"
                + "[{\"type\":\"T\",\"data\":{},\"metadata\":{\"principal\":\"root\"}}]}"), "events[0].metadata.principal");
        assertThat(cairn.get("/streams/" + stream).status()).isEqualTo(404);
    }
}
