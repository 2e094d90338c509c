package io.cairn.bootstrap.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A small HTTP client of a running Cairn's operations routes, on {@code java.net.http}. Every answer that is not the
 * one expected becomes a {@link CliFailure} with a clear message and the exit code for its kind. Not thread-safe
 * (one command uses it).
 */
final class CairnClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final Optional<String> credential;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base       the server, e.g. {@code http://127.0.0.1:8080}, without a trailing slash
     * @param credential sent as {@code Authorization: Bearer <credential>}: an API key or a JWT
     */
    CairnClient(URI base, Optional<String> credential) {
        this.base = requireNonNull(base, "base must not be null");
        this.credential = requireNonNull(credential, "credential must not be null");
    }

    URI base() {
        return base;
    }

    /** {@code GET /projections}'s list. */
    JsonNode projections() {
        return send("GET", "/projections", 200, "list the projections").path("projections");
    }

    /** The entry of {@code name} on {@code GET /projections}. */
    JsonNode projection(String name) {
        for (JsonNode projection : projections()) {
            if (projection.path("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new CliFailure(CliFailure.NOT_FOUND, "no projection is named '" + name
                + "' on " + base + "; `cairn projections list` shows them");
    }

    /** POSTs to {@code /projections/{name}/{operation}} and returns the answer, which must have {@code status}. */
    JsonNode operate(String name, String operation, int status, String what) {
        return send("POST", "/projections/" + name + "/" + operation, status, what);
    }

    private JsonNode send(String method, String path, int expected, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        credential.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot reach Cairn at " + base + " (" + describe(e)
                    + "): is it running there? Give its address with --url");
        } catch (IOException e) {
            throw new CliFailure(CliFailure.UNREACHABLE, "cannot " + what + " on " + base + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.OTHER, "interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() == expected) {
            if (body == null) {
                throw new CliFailure(CliFailure.OTHER, "cannot " + what + ": " + base + " answered " + expected
                        + " without JSON; is it a Cairn?");
            }
            return body;
        }
        throw refused(method, path, what, response.statusCode(), body);
    }

    private CliFailure refused(String method, String path, String what, int status, JsonNode problem) {
        String type = problem == null ? "" : problem.path("type").asText("").replace("urn:cairn:problem:", "");
        String detail = problem == null ? "" : problem.path("detail").asText("");
        String says = detail.isEmpty() ? "" : ": " + detail;
        return switch (status) {
            case 401 -> new CliFailure(CliFailure.REFUSED, "cannot " + what + ": the server wants credentials (401"
                    + says + "); give --api-key KEY (or set CAIRN_API_KEY) or --bearer TOKEN");
            case 403 -> new CliFailure(CliFailure.REFUSED, "cannot " + what + ": these credentials lack the role "
                    + "it needs (403" + says + "); operations that change a projection need admin");
            case 404 -> new CliFailure(CliFailure.NOT_FOUND, type.equals("unknown-projection")
                    ? "cannot " + what + ": " + detail + "; `cairn projections list` shows the projections"
                    : "cannot " + what + ": " + base + " has no " + method + " " + path
                    + " (404): it is a Cairn without this operation, or not a Cairn");
            case 409 -> new CliFailure(CliFailure.CONFLICT, "cannot " + what + " (" + type + ")" + says);
            case 501 -> new CliFailure(CliFailure.OTHER, "cannot " + what + ": this server does not support it "
                    + "(501" + says + ")");
            default -> new CliFailure(CliFailure.OTHER, "cannot " + what + ": " + base + " answered " + status
                    + (type.isEmpty() ? "" : " " + type) + says);
        };
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
