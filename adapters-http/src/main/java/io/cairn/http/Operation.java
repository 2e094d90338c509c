package io.cairn.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route's entry in the OpenAPI document: what it does, its parameters, body, answers and the problems it may
 * answer. Path parameters come from the route's template ({@code {id}}) by themselves. Built by the controller that
 * serves the route, handed to {@link ApiRoutes} with the route. Not thread-safe while being built.
 */
final class Operation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    private record Parameter(String in, String name, ObjectNode schema, String description, boolean required) {
    }

    private record Answer(String description, String contentType, ObjectNode schema, Map<String, String> headers) {
    }

    private final String summary;
    private final String tag;
    private String description;
    private final Map<String, String> pathDescriptions = new LinkedHashMap<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private ObjectNode body;
    private String bodyDescription;
    private final Map<Integer, Answer> answers = new LinkedHashMap<>();
    private final TreeSet<Integer> problems = new TreeSet<>();

    private Operation(String tag, String summary) {
        this.tag = requireNonNull(tag, "tag must not be null");
        this.summary = requireNonNull(summary, "summary must not be null");
    }

    /** An operation grouped under {@code tag} (e.g. {@code accounts}, {@code streams}). */
    static Operation of(String tag, String summary) {
        return new Operation(tag, summary);
    }

    Operation description(String text) {
        this.description = text;
        return this;
    }

    /** Describes the path parameter {@code name} (every one is a required string). */
    Operation pathParameter(String name, String text) {
        pathDescriptions.put(name, text);
        return this;
    }

    Operation query(String name, ObjectNode schema, String text) {
        parameters.add(new Parameter("query", name, schema, text, false));
        return this;
    }

    Operation header(String name, ObjectNode schema, String text) {
        parameters.add(new Parameter("header", name, schema, text, false));
        return this;
    }

    /** A required JSON body of {@code schema}. */
    Operation body(ObjectNode schema, String text) {
        this.body = schema;
        this.bodyDescription = text;
        return this;
    }

    /** A success answer of {@code contentType} with {@code schema}. */
    Operation answer(int status, String text, String contentType, ObjectNode schema) {
        answers.put(status, new Answer(text, contentType, schema, Map.of()));
        return this;
    }

    /** A JSON success answer. */
    Operation answer(int status, String text, ObjectNode schema) {
        return answer(status, text, Reply.JSON, schema);
    }

    /** Problems (RFC 9457) the route may answer, besides the ones every route may (see {@link OpenApi}). */
    Operation problems(int... statuses) {
        for (int status : statuses) {
            problems.add(status);
        }
        return this;
    }

    /** The operation object for {@code path}, needing {@code access}; {@code secured} when callers authenticate. */
    ObjectNode toJson(String path, Access access, boolean secured, boolean rateLimited, String operationId) {
        ObjectNode op = NODES.objectNode();
        op.putArray("tags").add(tag);
        op.put("summary", summary);
        String text = description == null ? "" : description;
        if (secured && access != Access.OPEN) {
            text = (text.isEmpty() ? "" : text + "\n\n") + "Needs the role `" + access.name().toLowerCase(java.util.Locale.ROOT)
                    + "` (or a higher one).";
        }
        if (!text.isEmpty()) {
            op.put("description", text);
        }
        op.put("operationId", operationId);
        op.put("x-cairn-access", access.name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode params = NODES.arrayNode();
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) {
            ObjectNode p = params.addObject();
            p.put("name", m.group(1));
            p.put("in", "path");
            p.put("required", true);
            if (pathDescriptions.containsKey(m.group(1))) {
                p.put("description", pathDescriptions.get(m.group(1)));
            }
            p.set("schema", OpenApi.string());
        }
        for (Parameter parameter : parameters) {
            ObjectNode p = params.addObject();
            p.put("name", parameter.name());
            p.put("in", parameter.in());
            p.put("required", parameter.required());
            p.put("description", parameter.description());
            p.set("schema", parameter.schema());
        }
        if (!params.isEmpty()) {
            op.set("parameters", params);
        }
        if (body != null) {
            ObjectNode requestBody = op.putObject("requestBody");
            requestBody.put("required", true);
            requestBody.put("description", bodyDescription);
            requestBody.putObject("content").putObject(Reply.JSON).set("schema", body);
        }
        ObjectNode responses = op.putObject("responses");
        answers.forEach((status, answer) -> {
            ObjectNode r = responses.putObject(Integer.toString(status));
            r.put("description", answer.description());
            if (answer.schema() != null) {
                r.putObject("content").putObject(answer.contentType()).set("schema", answer.schema());
            }
        });
        TreeSet<Integer> all = new TreeSet<>(problems);
        all.add(500);
        if (rateLimited) {
            all.add(429);
        }
        if (secured && access != Access.OPEN) {
            all.add(401);
            all.add(403);
        }
        for (int status : all) {
            responses.set(Integer.toString(status), OpenApi.ref("responses", OpenApi.problemResponse(status)));
        }
        if (secured) {
            ArrayNode security = op.putArray("security");
            if (access != Access.OPEN) {
                security.addObject().putArray(OpenApi.BEARER);
            }
        }
        return op;
    }
}
