package io.cairn.http;

import static java.util.Objects.requireNonNull;

import io.cairn.application.Service;
import io.cairn.application.Streams;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.ProjectionControl;
import io.cairn.application.projection.ProjectionRebuilds;
import io.cairn.json.Json;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Cairn's HTTP API, served by Javalin (Jetty).
 *
 * <pre>
 * POST /{collection}/{id}/{command}  the command's JSON    → 200 {"&lt;idField&gt;","revision"} (idField: "id" unless the
 *                                                        aggregate names another, e.g. "accountId")
 * GET  /{collection}/{id}?consistency=eventual|strong  → 200 the state as the aggregate shows it, plus "revision"
 * POST /streams/{stream}  {"expectedRevision": n|"no_stream"|"any", "commitId"?, "events":[{"type","data","metadata"?}]}
 *                                                      → 201 {"revision"}
 * GET  /streams/{stream}?fromRevision=1&amp;limit=100     → 200 {"stream","revision","commits":[...]}
 * GET  /all?fromPosition=0&amp;limit=100                 → 200 {"commits":[{"position","stream","revision",
 *                                                              "commitId","events"}],"nextPosition"};
 *                                                        501 on a store without a global order (DynamoDB)
 * GET  /feed   Last-Event-ID: id  (or ?lastEventId=id)  → 200 text/event-stream, one event per commit as the
 *                                                        projection releases it: "id: &lt;id&gt;", "event: commit",
 *                                                        "data: {"position"?,"stream","revision","commitId","events"}";
 *                                                        ": keep-alive" after 15 s without one; "event: overflow"
 *                                                        then the end when the client falls too far behind
 *                                                        (10 000 commits by default)
 * GET  /views/{projection}/{key}?after=&lt;token&gt;&amp;wait=2s → 200 the document (see {@link ViewsController})
 * GET  /views/{projection}?prefix=&amp;after=&amp;limit=100     → 200 {"documents":[{"key","version","document"}],"next"}
 * GET  /projections                                    → 200 every projection and how far it got
 * POST /projections/{name}/rebuild                       → 202 a new generation is being built (admin); 404, 409, 501
 *                                                        (see {@link ProjectionsController})
 * POST /projections/{name}/retry                       → 200 {"projection","state":"running"}: a stopped projection
 *                                                        starts again from its checkpoint (admin)
 * POST /projections/{name}/skip                        → 200 {"projection","state","skipped":{...}}: a stopped
 *                                                        document projection skips the commit it stopped at (admin;
 *                                                        see {@link ProjectionOperationsController})
 * GET  /health                                         → 200 or 503 {"status","checks":{name: "UP"|"DOWN"}}
 * GET  /metrics                                        → 200 Prometheus text: Cairn's counters, HTTP, JVM
 * GET  /openapi.json                                   → 200 the OpenAPI 3.1 document of exactly these routes
 * </pre>
 * Every failure is an RFC 9457 problem ({@code application/problem+json}); see {@link ProblemMapper} for the types.
 *
 * <h2>Security: who may call, over what, how much ({@link HttpSecurity})</h2>
 * Every route is registered through {@link ApiRoutes} with the {@link Access} it needs: {@code /health} is open;
 * {@code /metrics} open or {@code read}; every other GET {@code read}; commands and raw appends {@code write};
 * anything else (routes to come that change the running service) {@code admin}. Before any endpoint runs, the
 * caller is authenticated ({@link Authentication}: none, API keys or JWTs, 401 with {@code WWW-Authenticate}), its
 * role checked (403), and one request taken from its rate (429 with {@code Retry-After}); a refused request stores
 * nothing. The caller's {@link Principal} is recorded in the metadata of every commit it makes, as
 * {@code principal}: commands and raw appends alike, from the server's authentication only (a raw append's event
 * metadata may not carry a {@code principal} key: 400). {@code GET /feed} streams are bounded
 * ({@link Limits#feedSubscribers()}: 503 with {@code Retry-After}); raw appends are bounded in events per commit and
 * bytes per event (413). With {@link HttpSecurity#tls()} the port serves HTTPS only.
 *
 * <h2>Idempotency: what a repeated POST gets, and what survives a restart</h2>
 * Every POST may carry {@code Idempotency-Key: <uuid>} (not a UUID: 400). For an aggregate's command the key is the
 * command id; for {@code /streams} it is the commit id unless the body names one (both given and different: 400).
 * Without a key the server makes a random one, and a repeat is a new request.
 * <ul>
 *   <li><b>Successful commands and appends survive a restart</b>: the key is stored with the commit, and the core
 *       recognises a repeat (the same command id on the same aggregate, within its idempotency window; the same commit
 *       id on the same stream) and answers the original revision without appending anything.</li>
 *   <li><b>Every other final answer is remembered in this process only</b>: business rejections (422, 404 for an
 *       aggregate that does not exist), validation errors (400), revision conflicts on {@code /streams} (409) and the
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
 * <h2>The live feed: ids and resuming</h2>
 * {@code GET /feed} streams every commit the projection releases, about when the views show it (see
 * {@link CommitFeed}). Without an id it starts with what is released from then on. On a store with a global order
 * (PostgreSQL, in memory) ids are global positions, and resuming with {@code Last-Event-ID: p} is exact: every
 * commit after p once, in position order, history first and then live; {@code 0} replays everything; an id that is
 * not an integer {@code >= 0} gets 400 before the stream starts. On DynamoDB ids are durable checkpoints (a commit may
 * come without one); resuming with one follows DynamoDB Streams from it, at least once (commits after the checkpoint
 * that the client already saw come again, each stream's in revision order and once per connection), with the
 * latency of DynamoDB Streams polling rather than the projection's; an id that is not such a checkpoint gets 400.
 * A client that falls behind gets {@code event: overflow} and the stream ends; one whose store cannot be read while
 * it catches up gets {@code event: unavailable}. Either way it resumes from its last id, as {@code EventSource}
 * does by itself. Without a feed bound (see {@link HttpModule}), {@code GET /feed} answers 501.
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
    /** Proxies commonly drop a connection that has been quiet for 30 to 60 s. */
    static final Duration FEED_KEEP_ALIVE = Duration.ofSeconds(15);
    static final String VERSION = "0.1.0";

    private final List<AggregateEndpoint<?, ?, ?>> aggregates;
    private final Streams streams;
    private final Optional<GlobalLog> globalLog;
    private final Optional<CommitFeed> feed;
    private final Set<HealthCheck> healthChecks;
    private final PrometheusMeterRegistry metrics;
    private final HttpConfig config;
    private final HttpSecurity security;
    private final ProjectionCatalog projections;
    private final ProjectionControl projectionControl;
    private final ProjectionRebuilds rebuilds;
    private final ProblemMapper problems = new ProblemMapper();
    private final Replies replies = new Replies(Json.strictMapper());
    private final IdempotencyCache idempotency;
    /** {@code cairn_http_requests_seconds} by its tags, built once each: finitely many routes, methods, statuses. */
    private final ConcurrentMap<TimerTags, Timer> requestTimers = new ConcurrentHashMap<>();

    private Duration feedKeepAlive = FEED_KEEP_ALIVE;
    private Javalin app;
    private ExecutorService healthExecutor;
    private FeedController feeds;

    /** An API without authentication, TLS or limits ({@link HttpSecurity#open()}). */
    public HttpApi(Set<AggregateEndpoint<?, ?, ?>> aggregates,
                   Streams streams,
                   Optional<GlobalLog> globalLog,
                   Optional<CommitFeed> feed,
                   Set<HealthCheck> healthChecks,
                   PrometheusMeterRegistry metrics,
                   HttpConfig config,
                   ProjectionCatalog projections) {
        this(aggregates, streams, globalLog, feed, healthChecks, metrics, config, projections, HttpSecurity.open());
    }

    /**
     * An API whose projections cannot be retried, skipped or rebuilt ({@link ProjectionControl#unsupported()},
     * {@link ProjectionRebuilds#unsupported()}: 501).
     */
    public HttpApi(Set<AggregateEndpoint<?, ?, ?>> aggregates,
                   Streams streams,
                   Optional<GlobalLog> globalLog,
                   Optional<CommitFeed> feed,
                   Set<HealthCheck> healthChecks,
                   PrometheusMeterRegistry metrics,
                   HttpConfig config,
                   ProjectionCatalog projections,
                   HttpSecurity security) {
        this(aggregates, streams, globalLog, feed, healthChecks, metrics, config, projections, security,
                ProjectionControl.unsupported(), ProjectionRebuilds.unsupported());
    }

    /**
     * @param projectionControl what {@code POST /projections/{name}/retry} and {@code .../skip} do
     * @param rebuilds          what {@code POST /projections/{name}/rebuild} asks and {@code GET /projections}
     *                          shows of generations; {@link ProjectionRebuilds#unsupported()} answers 501
     * @throws IllegalArgumentException when two aggregates are served at one collection
     * @throws NullPointerException     for a null argument
     */
    @Inject
    public HttpApi(Set<AggregateEndpoint<?, ?, ?>> aggregates,
                   Streams streams,
                   Optional<GlobalLog> globalLog,
                   Optional<CommitFeed> feed,
                   Set<HealthCheck> healthChecks,
                   PrometheusMeterRegistry metrics,
                   HttpConfig config,
                   ProjectionCatalog projections,
                   HttpSecurity security,
                   ProjectionControl projectionControl,
                   ProjectionRebuilds rebuilds) {
        this.aggregates = List.copyOf(requireNonNull(aggregates, "aggregates must not be null")).stream()
                .sorted(Comparator.comparing(endpoint -> endpoint.type().collection())).toList();
        Set<String> collections = new HashSet<>();
        for (AggregateEndpoint<?, ?, ?> endpoint : this.aggregates) {
            if (!collections.add(endpoint.type().collection())) {
                throw new IllegalArgumentException("two aggregates are served at /" + endpoint.type().collection());
            }
        }
        this.streams = requireNonNull(streams, "streams must not be null");
        this.globalLog = requireNonNull(globalLog, "globalLog must not be null");
        this.feed = requireNonNull(feed, "feed must not be null");
        this.healthChecks = Set.copyOf(requireNonNull(healthChecks, "healthChecks must not be null"));
        this.metrics = requireNonNull(metrics, "metrics must not be null");
        this.config = requireNonNull(config, "config must not be null");
        this.security = requireNonNull(security, "security must not be null");
        this.projections = requireNonNull(projections, "projections must not be null");
        this.projectionControl = requireNonNull(projectionControl, "projectionControl must not be null");
        this.rebuilds = requireNonNull(rebuilds, "rebuilds must not be null");
        this.idempotency = new IdempotencyCache(config.idempotencyCacheSize(), config.idempotencyTtl());
    }

    @Override
    public String name() {
        return "http";
    }

    /**
     * Binds {@link HttpConfig#host()}:{@link HttpConfig#port()} and serves; returns once it listens.
     *
     * @throws ApiKeys.InvalidApiKeyFileException when the API key file cannot be read or is wrong
     * @throws IllegalArgumentException           when the JWT public key file cannot be used
     * @throws RuntimeException                   when the port cannot be bound or the keystore cannot be used
     */
    @Override
    public synchronized void start() {
        if (app != null) {
            throw new IllegalStateException("the HTTP API is already started");
        }
        Authenticator authenticator = Authenticator.of(security.authentication());
        // bounded: a hung store must not make every GET /health leave a thread behind
        ExecutorService executor = new ThreadPoolExecutor(HEALTH_THREADS, HEALTH_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HEALTH_QUEUE), daemonThreads("cairn-health-check"),
                new ThreadPoolExecutor.AbortPolicy());
        RequestBodies bodies = new RequestBodies(config.maxRequestBytes());
        StreamController streamApi = new StreamController(streams, bodies, replies, security.limits());
        GlobalLogController all = new GlobalLogController(globalLog, replies);
        FeedController feedApi = new FeedController(feed, replies, feedKeepAlive,
                security.limits().feedSubscribers());
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
            security.tls().ifPresent(tls -> cfg.jetty.addConnector((server, http) -> httpsConnector(server, http, tls)));
            AccessPolicy.Builder access = AccessPolicy.builder();
            OpenApi document = new OpenApi(VERSION, security.authentication().identifiesCallers(),
                    security.limits().requestsPerSecond() > 0);
            routes(new ApiRoutes(cfg.routes, access, document), streamApi, all, feedApi, health, posts, document);
            RequestGuard guard = new RequestGuard(authenticator, security.authentication().identifiesCallers(),
                    access.build(), new RateLimiter(security.limits()), bodies);
            // one before-handler, not two: Javalin matches each one's path on every request
            cfg.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                guard.check(ctx);
            });
            cfg.routes.beforeMatched(guard::checkMatched);
            common(cfg.routes);
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
        feeds = feedApi;
        LOG.log(Level.INFO, "HTTP API listening on " + (security.tls().isPresent() ? "https://" : "http://")
                + config.host() + ":" + created.port() + ", authentication " + mode());
    }

    /**
     * Every route, each with the access it needs and its OpenAPI entry; a new route is one more {@code api.get} or
     * {@code api.post} here, with the {@link Operation} its controller describes.
     */
    private void routes(ApiRoutes api, StreamController streamApi, GlobalLogController all,
                        FeedController feedApi, HealthController health, IdempotentPosts posts, OpenApi document) {
        // one route per command, so that an unknown command is Javalin's 404 and metrics name each command
        for (AggregateEndpoint<?, ?, ?> aggregate : aggregates) {
            String collection = "/" + aggregate.type().collection();
            for (String command : aggregate.type().commands().keySet()) {
                api.post(collection + "/{id}/" + command, Access.WRITE, aggregate.commandOperation(command),
                        posts.handler((ctx, body, key) -> aggregate.command(command, ctx, body, key, problems, replies)));
            }
            api.get(collection + "/{id}", Access.READ, aggregate.queryOperation(),
                    ctx -> aggregate.get(ctx, replies).writeTo(ctx));
        }
        api.post("/streams/{stream}", Access.WRITE, StreamController.appendOperation(),
                posts.handler(streamApi::append));
        api.get("/streams/{stream}", Access.READ, StreamController.readOperation(),
                ctx -> streamApi.read(ctx).writeTo(ctx));
        api.get("/all", Access.READ, GlobalLogController.operation(), ctx -> all.read(ctx).writeTo(ctx));
        api.get("/feed", Access.READ, FeedController.operation(), feedApi::follow);
        ViewsController views = new ViewsController(projections, replies);
        api.get("/views/{projection}", Access.READ, ViewsController.listOperation(),
                ctx -> views.list(ctx).writeTo(ctx));
        api.get("/views/{projection}/<key>", Access.READ, ViewsController.documentOperation(),
                ctx -> views.document(ctx).writeTo(ctx));
        ProjectionsController projectionList = new ProjectionsController(projections, replies, rebuilds);
        api.get("/projections", Access.READ, ProjectionsController.operation(),
                ctx -> projectionList.list().writeTo(ctx));
        ProjectionOperationsController operations = new ProjectionOperationsController(projectionControl, replies);
        api.post("/projections/{name}/retry", Access.ADMIN, ProjectionOperationsController.retryOperation(),
                ctx -> operations.retry(ctx.pathParam("name")).writeTo(ctx));
        api.post("/projections/{name}/skip", Access.ADMIN, ProjectionOperationsController.skipOperation(),
                ctx -> operations.skip(ctx.pathParam("name")).writeTo(ctx));
        api.post("/projections/{name}/rebuild", Access.ADMIN, ProjectionsController.rebuildOperation(),
                ctx -> projectionList.rebuild(ctx).writeTo(ctx));
        api.get("/health", Access.OPEN, HealthController.operation(), ctx -> health.health(ctx).writeTo(ctx));
        api.get("/metrics", security.metricsAccess(), Operation.of("operations", "Prometheus metrics")
                        .description("Cairn's counters, HTTP request timings and JVM meters, in Prometheus text.")
                        .answer(200, "the metrics", "text/plain", OpenApi.string()),
                ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        api.get("/openapi.json", Access.READ, Operation.of("operations", "This OpenAPI document")
                        .description("Every route this server serves, with its parameters, bodies, answers and "
                                + "problems; generated from the routes as registered.")
                        .answer(200, "the OpenAPI 3.1 document", OpenApi.anyJson()),
                ctx -> ctx.contentType(Reply.JSON).result(replies.bytes(document.document())));
    }

    /** What every request goes through besides its route: timing, and failures as problems. */
    private void common(RoutesConfig routes) {
        routes.after(this::timeRequest);
        // Javalin's own 404/405/413 are HttpResponseExceptions, which have a default handler of their own
        routes.exception(HttpResponseException.class, this::fail);
        routes.exception(Exception.class, this::fail);
    }

    private String mode() {
        Authentication authentication = security.authentication();
        if (authentication instanceof Authentication.ApiKeys) {
            return "api-keys";
        }
        return authentication instanceof Authentication.Jwt ? "jwt" : "none";
    }

    /** HTTPS only, from the PKCS#12 keystore, on the configured host and port. */
    private ServerConnector httpsConnector(org.eclipse.jetty.server.Server server,
                                           org.eclipse.jetty.server.HttpConfiguration http, TlsConfig tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(tls.password());
        http.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
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
        requestTimers.computeIfAbsent(new TimerTags(ctx.method().name(), route, ctx.statusCode()), this::requestTimer)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The tags of one {@code cairn_http_requests_seconds} timer. */
    private record TimerTags(String method, String route, int status) {
        // written out: a record's generated equals and hashCode go through a method handle, on every request here
        @Override
        public boolean equals(Object other) {
            return other instanceof TimerTags tags && status == tags.status && method.equals(tags.method)
                    && route.equals(tags.route);
        }

        @Override
        public int hashCode() {
            return (method.hashCode() * 31 + route.hashCode()) * 31 + status;
        }
    }

    private Timer requestTimer(TimerTags tags) {
        return Timer.builder("cairn.http.requests")
                .description("HTTP requests served, by method, route and status")
                .tag("method", tags.method())
                .tag("route", tags.route())
                .tag("status", Integer.toString(tags.status()))
                .register(metrics);
    }

    private void fail(Exception failure, Context ctx) {
        replies.problem(problems.map(failure), ctx).writeTo(ctx);
    }

    /** Stops serving: ends the open feeds, then gives requests in progress Jetty's graceful stop. */
    @Override
    public synchronized void stop() {
        if (app != null) {
            try {
                feeds.closeAll();
                app.stop();
            } finally {
                app = null;
                feeds = null;
                healthExecutor.shutdownNow();
                healthExecutor = null;
            }
        }
    }

    /** How long a feed may be quiet before a keep-alive comment, {@link #FEED_KEEP_ALIVE} unless set; before start. */
    synchronized void feedKeepAlive(Duration keepAlive) {
        if (app != null) {
            throw new IllegalStateException("set the feed's keep-alive before starting");
        }
        this.feedKeepAlive = requireNonNull(keepAlive, "keepAlive must not be null");
    }

    /** Every route Javalin serves, as {@code "METHOD /path/{param}"}; empty when not started. */
    synchronized List<String> servedRoutes() {
        List<String> served = new ArrayList<>();
        if (app != null) {
            for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
                Endpoint endpoint = parsed.endpoint;
                if (endpoint.method.isHttpMethod()) {
                    served.add(endpoint.method.name() + " " + endpoint.path);
                }
            }
        }
        return served;
    }

    /** How many {@code GET /feed} streams are open; 0 when not started. */
    synchronized int openFeeds() {
        return feeds == null ? 0 : feeds.openStreams();
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
