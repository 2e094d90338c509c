package io.cairn.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Where every route is registered, once: with Javalin, with the {@link AccessPolicy} (the route's template is its
 * rule) and in the {@link OpenApi} document. A route registered on Javalin directly has no rule (so it falls back
 * to {@code read} for GET and {@code admin} otherwise) and no entry in the document, which {@code OpenApiTest}
 * catches. Not thread-safe; used while the server is configured.
 */
final class ApiRoutes {

    private final RoutesConfig routes;
    private final AccessPolicy.Builder access;
    private final OpenApi document;

    ApiRoutes(RoutesConfig routes, AccessPolicy.Builder access, OpenApi document) {
        this.routes = routes;
        this.access = access;
        this.document = document;
    }

    void get(String path, Access needs, Operation operation, Handler handler) {
        add(HandlerType.GET, path, needs, operation, handler);
    }

    void post(String path, Access needs, Operation operation, Handler handler) {
        add(HandlerType.POST, path, needs, operation, handler);
    }

    /** Registers {@code method path}: served by {@code handler}, needing {@code needs}, documented as {@code operation}. */
    void add(HandlerType method, String path, Access needs, Operation operation, Handler handler) {
        access.rule(method, path, needs);
        document.add(method, path, needs, operation);
        routes.addEndpoint(new io.javalin.router.Endpoint(method, path, handler));
    }
}
