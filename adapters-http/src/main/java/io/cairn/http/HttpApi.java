package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.cairn.application.AggregateQueries;
import io.cairn.application.CommandHandler;
import io.cairn.application.Service;
import io.cairn.application.Streams;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.domain.account.AccountCommand;
import io.cairn.domain.account.AccountEvent;
import io.cairn.domain.account.AccountState;
import io.cairn.json.Json;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cairn's HTTP API, served by Javalin (Jetty).
 *
 * <pre>
 * POST /accounts/{id}/open      {"owner":"Ada","currency":"EUR","overdraftLimit":0}  → 200 {"accountId","revision"}
 * POST /accounts/{id}/deposit   {"amount":100}                                        → 200 {"accountId","revision"}
 * POST /accounts/{id}/withdraw  {"amount":50}                                         → 200 {"accountId","revision"}
 * POST /accounts/{id}/close     {}                                                    → 200 {"accountId","revision"}
 * GET  /accounts/{id}?consistency=eventual|strong      → 200 {"accountId","owner","currency","balance",
 *                                                              "overdraftLimit","status","revision"}
 * POST /streams/{stream}  {"expectedRevision": n|"no_stream"|"any", "commitId"?, "events":[{"type","data","metadata"?}]}
 *                                                      → 201 {"revision"}
 * GET  /streams/{stream}?fromRevision=1&amp;limit=100     → 200 {"stream","revision","commits":[...]}
 * GET  /all?fromPosition=0&amp;limit=100                 → 200 {"commits":[{"position","stream","revision",
 *                                                              "commitId","events"}],"nextPosition"};
 *                                                        501 on a store without a global order (DynamoDB)
 * GET  /health                                         → 200 or 503 {"status","checks":{name: "UP"|"DOWN"}}
 * GET  /metrics                                        → 200 Prometheus text: Cairn's counters, HTTP, JVM
 * </pre>
 * Every failure is an RFC 9457 problem ({@code application/problem+json}); see {@link ProblemMapper} for the types.
 *
 * <h2>Idempotency: what a repeated POST gets, and what survives a restart</h2>
 * Every POST may carry {@code Idempotency-Key: <uuid>} (not a UUID: 400). For an account command the key is the
 * command id; for {@code /streams} it is the commit id unless the body names one (both given and different: 400).
 * Without a key the server makes a random one, and a repeat is a new request.
 * <ul>
 *   <li><b>Successful commands and appends survive a restart</b>: the key is stored with the commit, and the core
 *       recognises a repeat (the same command id on the same account, within its idempotency window; the same commit
 *       id on the same stream) and answers the original revision without appending anything.</li>
 *   <li><b>Every other final answer is remembered in this process only</b>: business rejections (422, 404 for an
 *       account never opened), validation errors (400), revision conflicts on {@code /streams} (409) and the
 *       successes too, byte for byte, in a bounded cache ({@link HttpConfig#idempotencyCacheSize()} entries,
 *       {@link HttpConfig#idempotencyTtl()}). <b>They do not survive a restart</b>, nor an eviction: after one, a
 *       repeated rejected command is decided afresh against the current state (and may then succeed).</li>
 *   <li>Retryable answers (503 store unavailable, 409 concurrency conflict, 500) are not remembered: a retry with
 *       the same key runs again, which is safe because the core recognises a commit that did land.</li>
 *   <li>The same key with another method, path or body: 422 {@code idempotency-key-reused}. The same key while its
 *       first request still runs: 409 {@code request-in-progress} with {@code Retry-After: 1}; the command never runs
 *       twice at once in this process.</li>
 * </ul>
 * A replayed answer carries {@code Idempotent-Replayed: true}.
 *
 * <p>{@link #start()} builds and starts the server, {@link #stop()} stops it; it may be started again after a stop
 * (the idempotency cache is kept). Thread-safe.
 */
public final class HttpApi implements Service {

    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());
    private static final int HEALTH_THREADS = 4;
    private static final int HEALTH_QUEUE = 64;
    private static final String STARTED = "cairn.started";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accountCommands;
    private final AggregateQueries<AccountEvent, AccountState> accountQueries;
    private final Streams streams;
    private final Optional<GlobalLog> globalLog;
    private final Set<HealthCheck> healthChecks;
    private final PrometheusMeterRegistry metrics;
    private final HttpConfig config;
    private final ProblemMapper problems = new ProblemMapper();
    private final Replies replies = new Replies(Json.strictMapper());
    private final IdempotencyCache idempotency;

    private Javalin app;
    private ExecutorService healthExecutor;

    @Inject
    public HttpApi(CommandHandler<AccountCommand, AccountEvent, AccountState> accountCommands,
                   AggregateQueries<AccountEvent, AccountState> accountQueries,
                   Streams streams,
                   Optional<GlobalLog> globalLog,
                   Set<HealthCheck> healthChecks,
                   PrometheusMeterRegistry metrics,
                   HttpConfig config) {
        this.accountCommands = requireNonNull(accountCommands, "accountCommands must not be null");
        this.accountQueries = requireNonNull(accountQueries, "accountQueries must not be null");
        this.streams = requireNonNull(streams, "streams must not be null");
        this.globalLog = requireNonNull(globalLog, "globalLog must not be null");
        this.healthChecks = Set.copyOf(requireNonNull(healthChecks, "healthChecks must not be null"));
        this.metrics = requireNonNull(metrics, "metrics must not be null");
        this.config = requireNonNull(config, "config must not be null");
        this.idempotency = new IdempotencyCache(config.idempotencyCacheSize(), config.idempotencyTtl());
    }

    @Override
    public String name() {
        return "http";
    }

    /** Binds {@link HttpConfig#host()}:{@link HttpConfig#port()} and serves; returns once it listens. */
    @Override
    public synchronized void start() {
        if (app != null) {
            throw new IllegalStateException("the HTTP API is already started");
        }
        // bounded: a hung store must not make every GET /health leave a thread behind
        ExecutorService executor = new ThreadPoolExecutor(HEALTH_THREADS, HEALTH_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HEALTH_QUEUE), daemonThreads("cairn-health-check"),
                new ThreadPoolExecutor.AbortPolicy());
        RequestBodies bodies = new RequestBodies(config.maxRequestBytes());
        AccountController accounts = new AccountController(accountCommands, accountQueries, bodies, problems, replies);
        StreamController streamApi = new StreamController(streams, bodies, replies);
        GlobalLogController all = new GlobalLogController(globalLog, replies);
        HealthController health = new HealthController(healthChecks, executor, config.healthCheckTimeout(), replies);
        IdempotentPosts posts = new IdempotentPosts(bodies, idempotency, problems, replies);

        Javalin created = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(replies)));
            cfg.http.maxRequestSize = config.maxRequestBytes();
            cfg.http.prefer405over404 = true;
            routes(cfg.routes, accounts, streamApi, all, health, posts);
        });
        try {
            created.start();
        } catch (RuntimeException e) {
            created.stop();
            executor.shutdownNow();
            throw e;
        }
        app = created;
        healthExecutor = executor;
        LOG.log(Level.INFO, "HTTP API listening on " + config.host() + ":" + created.port());
    }

    private void routes(RoutesConfig routes, AccountController accounts, StreamController streamApi,
                        GlobalLogController all, HealthController health, IdempotentPosts posts) {
        routes.post("/accounts/{id}/open", posts.handler(accounts::open));
        routes.post("/accounts/{id}/deposit", posts.handler(accounts::deposit));
        routes.post("/accounts/{id}/withdraw", posts.handler(accounts::withdraw));
        routes.post("/accounts/{id}/close", posts.handler(accounts::close));
        routes.get("/accounts/{id}", ctx -> accounts.get(ctx).writeTo(ctx));
        routes.post("/streams/{stream}", posts.handler(streamApi::append));
        routes.get("/streams/{stream}", ctx -> streamApi.read(ctx).writeTo(ctx));
        routes.get("/all", ctx -> all.read(ctx).writeTo(ctx));
        routes.get("/health", ctx -> health.health(ctx).writeTo(ctx));
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::timeRequest);
        // Javalin's own 404/405/413 are HttpResponseExceptions, which have a default handler of their own
        routes.exception(HttpResponseException.class, this::fail);
        routes.exception(Exception.class, this::fail);
    }

    /** Records every request in {@code cairn_http_requests_seconds}, by method, route template and status. */
    private void timeRequest(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        // the template of the HTTP endpoint that matched; a 404 has none, and its path must not become a tag
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        Timer.builder("cairn.http.requests")
                .description("HTTP requests served, by method, route and status")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private void fail(Exception failure, Context ctx) {
        replies.problem(problems.map(failure), ctx).writeTo(ctx);
    }

    /** Stops serving; requests in progress are given Jetty's graceful stop. */
    @Override
    public synchronized void stop() {
        if (app != null) {
            try {
                app.stop();
            } finally {
                app = null;
                healthExecutor.shutdownNow();
                healthExecutor = null;
            }
        }
    }

    /**
     * @return the port the server listens on (the bound one when configured with 0)
     * @throws IllegalStateException when not started
     */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the HTTP API is not started");
        }
        return app.port();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
