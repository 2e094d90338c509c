package io.cairn.http;

import io.cairn.application.port.HealthCheck;
import io.javalin.http.Context;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /health}: asks every {@link HealthCheck} at once, each bounded by the configured timeout. 200 when all
 * answer, 503 otherwise, with each check's name and {@code UP} or {@code DOWN}. Thread-safe.
 */
final class HealthController {

    private static final System.Logger LOG = System.getLogger(HealthController.class.getName());

    record Health(String status, Map<String, String> checks) {
    }

    private final List<HealthCheck> checks;
    private final Executor executor;
    private final Duration timeout;
    private final Replies replies;

    HealthController(Set<HealthCheck> checks, Executor executor, Duration timeout, Replies replies) {
        this.checks = List.copyOf(checks);
        this.executor = executor;
        this.timeout = timeout;
        this.replies = replies;
    }

    /** The OpenAPI entry of {@code GET /health}. */
    static Operation operation() {
        return Operation.of("operations", "Whether every store answers")
                .description("Open to everyone, whatever the authentication mode.")
                .answer(200, "every check is UP", OpenApi.schema("Health"))
                .answer(503, "a check is DOWN", OpenApi.schema("Health"));
    }

    Reply health(Context ctx) {
        List<CompletableFuture<Void>> running = new ArrayList<>(checks.size());
        for (HealthCheck check : checks) {
            CompletableFuture<Void> run;
            try {
                run = CompletableFuture.runAsync(check::check, executor);
            } catch (RejectedExecutionException e) {
                // every health thread is stuck on an earlier check: that dependency is not answering
                run = CompletableFuture.failedFuture(e);
            }
            running.add(run);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> results = new TreeMap<>();
        boolean up = true;
        for (int i = 0; i < checks.size(); i++) {
            String name = checks.get(i).name();
            boolean answered = answered(name, running.get(i), deadline);
            up &= answered;
            // two checks of one name: DOWN wins
            results.merge(name, answered ? "UP" : "DOWN", (a, b) -> a.equals("DOWN") ? a : b);
        }
        return replies.json(up ? 200 : 503, new Health(up ? "UP" : "DOWN", results))
                .withHeader("Cache-Control", "no-store");
    }

    private static boolean answered(String name, CompletableFuture<Void> check, long deadline) {
        try {
            check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "health check " + name + " failed: " + e.getCause());
            return false;
        } catch (TimeoutException e) {
            check.cancel(true);
            LOG.log(Level.WARNING, "health check " + name + " did not answer in time");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
