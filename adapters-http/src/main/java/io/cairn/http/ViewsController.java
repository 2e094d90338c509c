package io.cairn.http;

import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.domain.InvalidInputException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import static java.util.Objects.requireNonNull;

/**
 * The documents of the domains' document projections.
 *
 * <pre>
 * GET /views/{projection}/{key}?after=&lt;token&gt;&amp;wait=2s  → 200 the document, {@code ETag: "<version>"};
 *                                                       404 when the projection or the document does not exist
 * GET /views/{projection}?prefix=&amp;after=&amp;limit=100      → 200 {"documents":[{"key","version","document"}],
 *                                                       "next": a cursor for the next page, or null}
 * </pre>
 * {@code after} is either a write token (the {@code token} of a command's or raw append's answer): the request
 * waits, up to {@code wait} (default 2 s, at most 30 s), until the projection has applied that commit, then reads
 * (504 when the wait ends first, 503 when the projection has stopped); or, on a listing, the {@code next} cursor of
 * the page before. Anything else is 400. Thread-safe.
 */
final class ViewsController {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String CURSOR = "c1.";
    private static final Pattern WAIT = Pattern.compile("(\\d{1,6})(ms|s)");

    private final ProjectionCatalog catalog;
    private final Replies replies;

    ViewsController(ProjectionCatalog catalog, Replies replies) {
        this.catalog = requireNonNull(catalog, "catalog must not be null");
        this.replies = requireNonNull(replies, "replies must not be null");
    }

    /** The OpenAPI entry of {@code GET /views/{projection}/<key>}. */
    static Operation documentOperation() {
        return Operation.of("views", "One document of a document projection")
                .description("With after=<token> (a command's or append's token) the read waits, up to wait, until "
                        + "the projection has applied that commit.")
                .pathParameter("projection", "the document projection's name")
                .pathParameter("key", "the document's key; may hold slashes")
                .query("after", OpenApi.string(), "a write token to wait for")
                .query("wait", OpenApi.string(), "how long to wait for after, e.g. 500ms or 2s (default 2s, at most 30s)")
                .answer(200, "the document, with ETag: \"<version>\"", OpenApi.anyJson())
                .problems(400, 404, 503, 504);
    }

    /** The OpenAPI entry of {@code GET /views/{projection}}. */
    static Operation listOperation() {
        return Operation.of("views", "The documents of a document projection, page by page")
                .pathParameter("projection", "the document projection's name")
                .query("prefix", OpenApi.string(), "only keys starting with it")
                .query("after", OpenApi.string(), "the next cursor of the page before, or a write token to wait for")
                .query("limit", OpenApi.integer().put("minimum", 1).put("maximum", MAX_LIMIT),
                        "documents per page (default " + DEFAULT_LIMIT + ")")
                .query("wait", OpenApi.string(), "how long to wait for a write token's commit")
                .answer(200, "a page of documents", OpenApi.object(
                        "documents", OpenApi.arrayOf(OpenApi.object("key", OpenApi.string(),
                                "version", OpenApi.integer(), "document", OpenApi.anyJson())),
                        "next", OpenApi.described(OpenApi.anyJson(), "a cursor for the next page, or null")))
                .problems(400, 404, 503, 504);
    }

    /** {@code GET /views/{projection}/{key}}. */
    Reply document(Context ctx) {
        Projection<?, ?> projection = projection(ctx);
        String key = ctx.pathParam("key");
        Optional<String> after = Optional.ofNullable(ctx.queryParam("after"));
        if (after.isPresent()) {
            awaitWrite(projection, WriteToken.decode("after", after.get()), ctx);
        } else if (ctx.queryParam("wait") != null) {
            throw new InvalidInputException("wait", "wait is given with after=<token> only");
        }
        DocumentStore<?> documents = projection.documentStore().orElseThrow();
        StoredDocument found = documents.document(key).orElseThrow(() -> new ProblemException(Problem.of(404,
                "document-not-found", "Document not found", "projection " + projection.name()
                        + " has no document '" + key + "'").with("projection", projection.name()).with("key", key)));
        return new Reply(200, Reply.JSON, found.json().getBytes(StandardCharsets.UTF_8),
                Map.of("ETag", "\"" + found.version() + "\""), false);
    }

    /** {@code GET /views/{projection}?prefix=&after=&limit=}. */
    Reply list(Context ctx) {
        Projection<?, ?> projection = projection(ctx);
        String prefix = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
        int limit = limit(ctx.queryParam("limit"));
        Optional<String> afterKey = Optional.empty();
        String after = ctx.queryParam("after");
        if (after != null && WriteToken.looksLikeOne(after)) {
            awaitWrite(projection, WriteToken.decode("after", after), ctx);
        } else if (after != null) {
            afterKey = Optional.of(cursorKey(after));
        }
        if (ctx.queryParam("wait") != null && (after == null || !WriteToken.looksLikeOne(after))) {
            throw new InvalidInputException("wait", "wait is given with after=<token> only");
        }
        DocumentPage page = projection.documentStore().orElseThrow().list(prefix, afterKey, limit);
        StringBuilder body = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < page.documents().size(); i++) {
            StoredDocument document = page.documents().get(i);
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"key\":").append(replies.quote(document.key())).append(",\"version\":")
                    .append(document.version()).append(",\"document\":").append(document.json()).append('}');
        }
        body.append("],\"next\":").append(page.next().map(key -> replies.quote(cursor(key))).orElse("null"))
                .append('}');
        return new Reply(200, Reply.JSON, body.toString().getBytes(StandardCharsets.UTF_8), Map.of(), false);
    }

    private Projection<?, ?> projection(Context ctx) {
        String name = ctx.pathParam("projection");
        return catalog.documents(name).orElseThrow(() -> new ProblemException(Problem.of(404,
                "projection-not-found", "Projection not found", "no document projection is named '" + name + "'")
                .with("projection", name)));
    }

    private void awaitWrite(Projection<?, ?> projection, WriteToken token, Context ctx) {
        Duration wait = wait(ctx.queryParam("wait"));
        Projection.Awaited awaited = projection.awaitApplied(token.stream(), token.revision(),
                OptionalLong.empty(), wait);
        switch (awaited) {
            case APPLIED -> {
            }
            case STOPPED -> throw new ProblemException(Problem.of(503, "projection-stopped", "Projection stopped",
                    "projection " + projection.name() + " has stopped: " + projection.failure().error()
                            + "; see GET /projections").with("projection", projection.name()));
            case TIMED_OUT -> throw new ProblemException(Problem.of(504, "write-not-applied-yet",
                    "Write not applied yet", "projection " + projection.name() + " did not apply "
                            + token.stream() + "@" + token.revision() + " within " + wait.toMillis() + " ms")
                    .with("projection", projection.name()));
        }
    }

    static Duration wait(String value) {
        if (value == null) {
            return DEFAULT_WAIT;
        }
        Matcher matcher = WAIT.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidInputException("wait", "wait is a duration such as 500ms or 2s, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration wait = matcher.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidInputException("wait", "wait is at most " + MAX_WAIT.toSeconds() + "s, not " + value);
        }
        return wait;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidInputException("limit", "limit is an integer from 1 to " + MAX_LIMIT + ", not '" + value
                + "'");
    }

    static String cursor(String key) {
        return CURSOR + Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String cursorKey(String cursor) {
        String problem = "'" + cursor + "' is neither a write token nor the \"next\" cursor of a listing";
        if (!cursor.startsWith(CURSOR)) {
            throw new InvalidInputException("after", problem);
        }
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor.substring(CURSOR.length())),
                    StandardCharsets.UTF_8);
            if (key.isEmpty()) {
                throw new InvalidInputException("after", problem);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("after", problem);
        }
    }
}
