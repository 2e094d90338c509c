package io.cairn.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the running API, served at {@code GET /openapi.json}. It is assembled from the routes
 * as they are registered ({@link ApiRoutes}): each controller describes its own routes ({@link Operation}), so a
 * route added later brings its entry with it. Shared shapes live under {@code components}: the schemas below, one
 * problem response per status, and the bearer scheme when callers authenticate. Not thread-safe while being built;
 * {@link #document()} is a copy.
 */
final class OpenApi {

    static final String BEARER = "bearer";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Cairn's own problem types, listed in the {@code Problem} schema; domains add their rejections' reasons. */
    private static final String[] PROBLEM_TYPES = {
        "invalid-input", "malformed-json", "unauthorized", "forbidden", "not-found", "stream-not-found",
        "<category>-not-found", "method-not-allowed", "revision-conflict", "concurrency-conflict",
        "request-in-progress", "request-too-large", "commit-too-large", "too-many-events", "event-too-large",
        "unsupported-media-type", "idempotency-key-reused", "<rejection-reason>", "too-many-requests",
        "internal-error", "no-global-order", "no-live-feed", "store-unavailable", "too-many-subscribers",
        "authentication-unavailable"};

    private static final Map<Integer, String> PROBLEM_WHEN = Map.ofEntries(
            Map.entry(400, "Invalid input (`invalid-input`, `malformed-json`): `field` names the culprit"),
            Map.entry(401, "No bearer credential, or one that is not accepted (`unauthorized`, with WWW-Authenticate)"),
            Map.entry(403, "The caller lacks the role the route needs (`forbidden`)"),
            Map.entry(404, "Unknown aggregate, stream, collection, command or route"),
            Map.entry(409, "Revision conflict (`revision-conflict` with `actualRevision`), contention, or a request "
                    + "with the same Idempotency-Key still in progress"),
            Map.entry(413, "Body, commit or event too large, or too many events (`request-too-large`, "
                    + "`commit-too-large`, `event-too-large`, `too-many-events`)"),
            Map.entry(415, "A body that is not JSON (`unsupported-media-type`)"),
            Map.entry(422, "A business rejection (its `reason`), or an Idempotency-Key reused for another request"),
            Map.entry(429, "Over the caller's request rate (`too-many-requests`, with Retry-After)"),
            Map.entry(500, "An unexpected failure, logged with the `errorId` given"),
            Map.entry(501, "Not offered by this store or server (`no-global-order`, `no-live-feed`, `rebuild-not-supported`)"),
            Map.entry(503, "The store (or the token keys) cannot be reached, or too many feed subscribers; with "
                    + "Retry-After"));

    private final boolean secured;
    private final boolean rateLimited;
    private final ObjectNode root = NODES.objectNode();
    private final ObjectNode paths;
    private final ObjectNode responses;
    private final Set<String> operationIds = new HashSet<>();

    OpenApi(String version, boolean secured, boolean rateLimited) {
        this.secured = secured;
        this.rateLimited = rateLimited;
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Cairn");
        info.put("version", requireNonNull(version, "version must not be null"));
        info.put("description", "Cairn's HTTP API: every registered aggregate's commands and queries, raw streams, "
                + "the global log, the live feed, health and metrics. Every failure is an RFC 9457 problem "
                + "(application/problem+json). Every POST takes an optional Idempotency-Key (a UUID).");
        paths = root.putObject("paths");
        ObjectNode components = root.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        defineSchemas(schemas);
        responses = components.putObject("responses");
        if (secured) {
            ObjectNode scheme = components.putObject("securitySchemes").putObject(BEARER);
            scheme.put("type", "http");
            scheme.put("scheme", "bearer");
            scheme.put("description", "Authorization: Bearer <API key or JWT>");
        }
    }

    /**
     * Adds {@code method path}'s operation.
     *
     * @throws IllegalArgumentException when that route is described already
     */
    void add(HandlerType method, String route, Access access, Operation operation) {
        String path = documented(route);
        String verb = method.name().toLowerCase(Locale.ROOT);
        ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
        if (item.has(verb)) {
            throw new IllegalArgumentException(method + " " + path + " is described twice");
        }
        String id = operationId(verb, path);
        item.set(verb, operation.toJson(path, access, secured, rateLimited, id));
        ObjectNode opNode = (ObjectNode) item.get(verb);
        for (var status : (Iterable<String>) () -> opNode.get("responses").fieldNames()) {
            int code = Integer.parseInt(status);
            if (code >= 400) {
                ObjectNode problem = responses.putObject(problemResponse(code));
                problem.put("description", PROBLEM_WHEN.getOrDefault(code, "HTTP " + code));
                problem.putObject("content").putObject(Reply.PROBLEM_JSON).set("schema", ref("schemas", "Problem"));
                if (code == 401) {
                    problem.putObject("headers").putObject(ProblemMapper.CHALLENGE).put("description",
                            "Bearer realm=\"cairn\", with error=\"invalid_token\" for a refused credential")
                            .putObject("schema").put("type", "string");
                } else if (code == 429 || code == 503) {
                    problem.putObject("headers").putObject("Retry-After").put("description",
                            "seconds to wait before retrying").putObject("schema").put("type", "integer");
                }
            }
        }
    }

    /** The document as it stands, sorted by path. */
    ObjectNode document() {
        ObjectNode copy = root.deepCopy();
        ObjectNode sorted = NODES.objectNode();
        TreeMap<String, com.fasterxml.jackson.databind.JsonNode> byPath = new TreeMap<>();
        paths.fields().forEachRemaining(e -> byPath.put(e.getKey(), e.getValue()));
        byPath.forEach(sorted::set);
        copy.set("paths", sorted);
        return copy;
    }

    /** A route template as OpenAPI writes it: Javalin's slash-crossing {@code <key>} becomes {@code {key}}. */
    static String documented(String route) {
        return route.replaceAll("<([^>/]+)>", "{$1}");
    }

    private String operationId(String verb, String path) {
        StringBuilder id = new StringBuilder(verb);
        for (String segment : path.split("[/{}.-]+")) {
            if (!segment.isEmpty()) {
                id.append(Character.toUpperCase(segment.charAt(0))).append(segment.substring(1));
            }
        }
        String unique = id.toString();
        for (int n = 2; !operationIds.add(unique); n++) {
            unique = id + "_" + n;
        }
        return unique;
    }

    static String problemResponse(int status) {
        return "Problem" + status;
    }

    static ObjectNode ref(String section, String name) {
        return NODES.objectNode().put("$ref", "#/components/" + section + "/" + name);
    }

    static ObjectNode schema(String name) {
        return ref("schemas", name);
    }

    static ObjectNode string() {
        return NODES.objectNode().put("type", "string");
    }

    static ObjectNode integer() {
        return NODES.objectNode().put("type", "integer");
    }

    static ObjectNode anyJson() {
        return NODES.objectNode();
    }

    static ObjectNode arrayOf(ObjectNode items) {
        ObjectNode array = NODES.objectNode().put("type", "array");
        array.set("items", items);
        return array;
    }

    /** An object of {@code properties} (name, schema, name, schema...), all required unless named in {@code optional}. */
    static ObjectNode object(Object... namesAndSchemas) {
        ObjectNode object = NODES.objectNode().put("type", "object");
        ObjectNode properties = object.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            String name = (String) namesAndSchemas[i];
            boolean optional = name.endsWith("?");
            String clean = optional ? name.substring(0, name.length() - 1) : name;
            properties.set(clean, (ObjectNode) namesAndSchemas[i + 1]);
            if (!optional) {
                required.add(clean);
            }
        }
        if (!required.isEmpty()) {
            object.set("required", required);
        }
        return object;
    }

    static ObjectNode described(ObjectNode schema, String description) {
        return schema.put("description", description);
    }

    private static void defineSchemas(ObjectNode schemas) {
        ObjectNode problem = object("type", described(string(), "urn:cairn:problem:<slug>, or about:blank"),
                "title", string(), "status", integer(), "detail", string(), "instance?", string());
        problem.put("description", "An RFC 9457 problem. Cairn's types are urn:cairn:problem: followed by one of: "
                + String.join(", ", PROBLEM_TYPES) + ". Extensions such as field, reason, actualRevision, limit "
                + "follow the standard members.");
        problem.put("additionalProperties", true);
        schemas.set("Problem", problem);
        ObjectNode stringMap = NODES.objectNode().put("type", "object");
        stringMap.set("additionalProperties", string());
        schemas.set("CommitMetadata", described(stringMap,
                "the commit's metadata, set by the server: principal (who sent it), command (for a command)"));
        ObjectNode revisionInput = NODES.objectNode();
        ArrayNode oneOf = revisionInput.putArray("oneOf");
        oneOf.add(NODES.objectNode().put("type", "integer").put("minimum", 0));
        oneOf.addObject().put("type", "string").putArray("enum").add("no_stream");
        oneOf.addObject().put("type", "string").putArray("enum").add("any");
        revisionInput.put("description", "the stream's revision the append expects (0: the stream must not "
                + "exist), no_stream, or any");
        schemas.set("ExpectedRevision", revisionInput);
        ObjectNode eventInput = object("type", string(), "data", described(anyJson(), "any JSON value"),
                "metadata?", described(NODES.objectNode().put("type", "object"),
                        "a JSON object; the key principal is the server's and refused here"),
                "version?", described(integer().put("minimum", 1), "the version of the type's shape; default 1"));
        eventInput.put("additionalProperties", false);
        schemas.set("EventInput", eventInput);
        ObjectNode append = object("expectedRevision", schema("ExpectedRevision"),
                "commitId?", described(string().put("format", "uuid"), "defaults to the Idempotency-Key"),
                "events", arrayOf(schema("EventInput")).put("minItems", 1));
        append.put("additionalProperties", false);
        schemas.set("StreamAppend", append);
        schemas.set("Appended", object("revision", integer(), "token", described(string(),
                "names the commit: GET /views/...?after=<token> reads once it is applied")));
        schemas.set("StoredEvent", object("eventNumber", integer(), "type", string(),
                "version", described(integer().put("minimum", 1), "the version of the type's shape: as stored, or "
                        + "the current one for an aggregate's stream read at /streams"), "data", anyJson(),
                "metadata", NODES.objectNode().put("type", "object"),
                "recordedAt", string().put("format", "date-time")));
        schemas.set("StoredCommit", object("revision", integer(), "commitId", string().put("format", "uuid"),
                "metadata", schema("CommitMetadata"), "events", arrayOf(schema("StoredEvent"))));
        schemas.set("StreamPage", object("stream", string(), "revision", integer(),
                "commits", arrayOf(schema("StoredCommit"))));
        schemas.set("StreamCommit", object("position?", described(integer(), "on a store with a global order"),
                "stream", string(), "revision", integer(), "commitId", string().put("format", "uuid"),
                "metadata", schema("CommitMetadata"), "events", arrayOf(schema("StoredEvent"))));
        schemas.set("AllPage", object("commits", arrayOf(schema("StreamCommit")), "nextPosition", integer()));
        ObjectNode checks = NODES.objectNode().put("type", "object");
        ObjectNode upDown = NODES.objectNode().put("type", "string");
        upDown.putArray("enum").add("UP").add("DOWN");
        checks.set("additionalProperties", upDown);
        schemas.set("Health", object("status", upDown.deepCopy(), "checks", checks));
    }
}
