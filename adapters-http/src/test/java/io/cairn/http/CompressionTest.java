package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers are gzip-compressed for a client that accepts it once they reach Javalin's minimum (1 500 bytes), whichever
 * way they are written (small ones straight into the response, large ones as Javalin's result); smaller answers go as
 * they are, with their length.
 */
class CompressionTest {

    @RegisterExtension
    static final TestCairn cairn = TestCairn.perClass();

    @Test
    void a_medium_answer_is_gzipped_for_a_client_that_accepts_it() throws Exception {
        String stream = appended(12, 200); // about 3 KB: over the minimum, under Reply.DIRECT_WRITE_LIMIT
        assertGzippedAsPlain("/streams/" + stream, 1_500, Reply.DIRECT_WRITE_LIMIT);
    }

    @Test
    void a_large_answer_is_gzipped_for_a_client_that_accepts_it() throws Exception {
        String stream = appended(80, 400); // about 35 KB: over Reply.DIRECT_WRITE_LIMIT and Jetty's 32 KB buffer
        assertGzippedAsPlain("/streams/" + stream, 32 * 1024, Integer.MAX_VALUE);
    }

    @Test
    void the_openapi_document_is_gzipped_for_a_client_that_accepts_it() throws Exception {
        assertGzippedAsPlain("/openapi.json", 8 * 1024, Integer.MAX_VALUE);
    }

    @Test
    void a_small_answer_goes_uncompressed_with_its_length() throws Exception {
        String stream = TestCairn.newStream();
        HttpResponse<byte[]> appended = send(HttpRequest.newBuilder(cairn.uri("/streams/" + stream))
                .header("Accept-Encoding", "gzip")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"expectedRevision\":\"no_stream\",\"events\":[{\"type\":\"Noted\",\"data\":{}}]}")));
        assertThat(appended.statusCode()).isEqualTo(201);
        assertThat(appended.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(appended.headers().firstValueAsLong("Content-Length")).hasValue(appended.body().length);
        assertThat(TestCairn.JSON.readTree(appended.body()).path("revision").asLong()).isEqualTo(1);

        HttpResponse<byte[]> problem = send(HttpRequest.newBuilder(cairn.uri("/streams/" + stream))
                .header("Accept-Encoding", "gzip")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expectedRevision\":\"no_stream\",\"events\":[]}")));
        assertThat(problem.statusCode()).isEqualTo(400);
        assertThat(problem.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(Reply.PROBLEM_JSON));
        assertThat(problem.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(problem.headers().firstValueAsLong("Content-Length")).hasValue(problem.body().length);
        assertThat(TestCairn.JSON.readTree(problem.body()).path("status").asInt()).isEqualTo(400);
    }

    /** A new stream with one commit of {@code events} events of about {@code bytes} bytes of data each. */
    private static String appended(int events, int bytes) {
        String stream = TestCairn.newStream();
        StringBuilder body = new StringBuilder("{\"expectedRevision\":\"no_stream\",\"events\":[");
        for (int i = 0; i < events; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"Noted\",\"data\":{\"text\":\"")
                    .append(Integer.toString(i).repeat(bytes / Integer.toString(i).length())).append("\"}}");
        }
        TestCairn.Response appended = cairn.post("/streams/" + stream, body.append("]}").toString());
        assertThat(appended.status()).isEqualTo(201);
        return stream;
    }

    /** GET {@code path} with and without {@code Accept-Encoding: gzip}: the same JSON, compressed only when asked. */
    private static void assertGzippedAsPlain(String path, int leastPlainBytes, int mostPlainBytes) throws Exception {
        HttpResponse<byte[]> plain = send(HttpRequest.newBuilder(cairn.uri(path)).GET());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body().length).isBetween(leastPlainBytes, mostPlainBytes);

        HttpResponse<byte[]> gzipped = send(HttpRequest.newBuilder(cairn.uri(path))
                .header("Accept-Encoding", "gzip").GET());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.body().length).isLessThan(plain.body().length);
        JsonNode unzipped = TestCairn.JSON.readTree(gunzip(gzipped.body()));
        assertThat(unzipped).isEqualTo(TestCairn.JSON.readTree(plain.body()));
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return cairn.client.send(request.timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
