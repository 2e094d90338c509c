package io.cairn.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.Map;

/** Turns response DTOs and problems into {@link Reply replies}. Thread-safe. */
final class Replies {

    private final ObjectMapper mapper;

    Replies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Reply json(int status, Object body) {
        return new Reply(status, Reply.JSON, bytes(body), Map.of(), false);
    }

    Reply problem(Problem problem, Context ctx) {
        return problem(problem, ctx == null ? null : ctx.path());
    }

    Reply problem(Problem problem, String instance) {
        return new Reply(problem.status(), Reply.PROBLEM_JSON, bytes(problem.body(instance)), problem.headers(),
                problem.retryable());
    }

    byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a response body", e);
        }
    }

    /** {@code text} as a JSON string literal. */
    String quote(String text) {
        try {
            return mapper.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a string cannot be written as JSON", e);
        }
    }
}
