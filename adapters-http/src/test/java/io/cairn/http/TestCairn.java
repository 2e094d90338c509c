package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.AccountsDomain;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.application.AggregateQueries;
import io.cairn.application.CachingViewStore;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.Streams;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.projection.DocumentFollow;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.application.projection.Tagged;
import io.cairn.disruptor.DisruptorProjector;
import io.cairn.inventory.InventoryDomain;
import io.cairn.inventory.InventoryProjections;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Cairn over HTTP with in-memory ports, wired by hand as the bootstrap would, plus a client. The event store the
 * use cases see can be taken down or made to hold appends ({@link #store}). The live feed follows the projection's
 * gate: a real projector on a Disruptor ring, merging the in-memory log with the fast channel.
 */
final class TestCairn implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryEventStore memory = new InMemoryEventStore();
    final ControllableEventStore store = new ControllableEventStore(memory);
    final InProcessFastChannel fastChannel = new InProcessFastChannel();
    final CachingViewStore<AccountState> views = CachingViewStore.over(new InMemoryViewStore<>(), 10_000);
    final DisruptorProjector projector;
    final DisruptorProjector feedProjector;
    final CommandHandler<AccountCommand, AccountEvent, AccountState> commands;
    final AggregateQueries<AccountEvent, AccountState> queries;
    final Streams streams;
    final Set<AggregateEndpoint<?, ?, ?>> endpoints;
    /** A second domain's aggregate, wired the same way: the routes are generic. */
    final Served<?, ?, ?> products;

    /** An aggregate served next to accounts: its projector and its routes. */
    record Served<C, E, S>(DisruptorProjector projector, AggregateEndpoint<C, E, S> endpoint) {
    }

    private <C, E, S> Served<C, E, S> productsOn(AggregateType<C, E, S> served) {
        CachingViewStore<S> servedViews = CachingViewStore.over(new InMemoryViewStore<>(), 10_000);
        Projection<E, S> projection = Projection.builder(served.collection() + "-view", served.aggregate(),
                        served.events(), memory, servedViews, new InMemoryCheckpointStore())
                .globalLog(Optional.of(memory))
                .build();
        return new Served<>(DisruptorProjector.builder(projection, new InMemoryDurableChannel(memory, 50), fastChannel)
                .build(), AggregateEndpoint.of(served,
                CommandHandler.builder(served.aggregate(), served.events(), store).views(servedViews)
                        .fastChannel(fastChannel).build(),
                new AggregateQueries<>(served.aggregate(), served.events(), store, servedViews)));
    }
    /** The inventory's document projections, on the in-memory store. */
    final List<DisruptorProjector> documentProjectors;
    final ProjectionCatalog catalog;

    private <D> DisruptorProjector documents(DocumentProjection<D> registered) {
        List<DocumentFollow<?, ?, D>> follows = new ArrayList<>();
        for (DocumentProjection.Follow<?, ?, D> follow : registered.follows()) {
            follows.add(follow(follow));
        }
        Projection<Object, Tagged> projection = Projection.documents(registered.name(), follows, memory,
                        new InMemoryDocumentStore<>(registered.name(), new InMemoryCheckpointStore()),
                        registered.documents(), 10_000)
                .globalLog(Optional.of(memory))
                .build();
        return DisruptorProjector.builder(projection, new InMemoryDurableChannel(memory, 50), fastChannel).build();
    }

    private static <E, S, D> DocumentFollow<E, S, D> follow(DocumentProjection.Follow<E, S, D> registered) {
        return new DocumentFollow<>(registered.aggregate().aggregate(), registered.aggregate().events(),
                registered.handler());
    }
    final CommitFeed feed;
    final HttpApi api;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private TestCairn(HttpConfig config, Set<HealthCheck> healthChecks, HttpSecurity security) {
        AggregateType<AccountCommand, AccountEvent, AccountState> type = AccountsDomain.ACCOUNTS;
        var accounts = type.aggregate();
        var codec = type.events();
        Projection<AccountEvent, AccountState> projection = Projection
                .builder("accounts", accounts, codec, memory, views, new InMemoryCheckpointStore())
                .globalLog(Optional.of(memory))
                .build();
        projector = DisruptorProjector.builder(projection, new InMemoryDurableChannel(memory, 50), fastChannel).build();
        commands = CommandHandler.builder(accounts, codec, store).views(views).fastChannel(fastChannel).build();
        queries = new AggregateQueries<>(accounts, codec, store, views);
        streams = new Streams(store, fastChannel, Set.of(type.category(), InventoryDomain.PRODUCTS.category()));
        products = productsOn(InventoryDomain.PRODUCTS);
        endpoints = Set.of(AggregateEndpoint.of(type, commands, queries), products.endpoint);
        // the feed follows a projection of every commit, whatever its category, as the service wires it
        Projection<Void, RevisionOnly> everyCommit = Projection.allCommits("live-feed", memory,
                        CachingViewStore.over(new InMemoryViewStore<>(), 10_000), new InMemoryCheckpointStore())
                .globalLog(Optional.of(memory))
                .build();
        feedProjector = DisruptorProjector.builder(everyCommit, new InMemoryDurableChannel(memory, 50), fastChannel)
                .build();
        feed = new CommitFeed(everyCommit, Optional.of(memory), new InMemoryDurableChannel(memory, 50));
        documentProjectors = List.of(documents(InventoryProjections.ORDERS), documents(InventoryProjections.WAREHOUSES));
        List<ProjectionCatalog.Entry> entries = new ArrayList<>();
        entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.AGGREGATE_VIEW, projection));
        entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.AGGREGATE_VIEW,
                products.projector().projection()));
        documentProjectors.forEach(projector -> entries.add(new ProjectionCatalog.Entry(
                ProjectionCatalog.Kind.DOCUMENTS, projector.projection())));
        entries.add(new ProjectionCatalog.Entry(ProjectionCatalog.Kind.LIVE_FEED, everyCommit));
        catalog = new ProjectionCatalog(entries);
        api = new HttpApi(endpoints, streams, Optional.of(memory), Optional.of(feed), healthChecks, metrics,
                config, catalog, security);
    }

    /** A server for a test class, started before its tests and stopped after: {@code @RegisterExtension}. */
    static TestCairn perClass() {
        return perClass(HttpConfig.onPort(0).withHost("127.0.0.1"), Set.of(new InMemoryEventStore()));
    }

    static TestCairn perClass(HttpConfig config, Set<HealthCheck> healthChecks) {
        return new TestCairn(config, healthChecks, HttpSecurity.open());
    }

    /** A server on a free loopback port with {@code security}, for a test class: {@code @RegisterExtension}. */
    static TestCairn perClass(HttpSecurity security) {
        return new TestCairn(HttpConfig.onPort(0).withHost("127.0.0.1"), Set.of(new InMemoryEventStore()), security);
    }

    /** A server started now, for a test of its own (close it). */
    static TestCairn start(HttpConfig config, Set<HealthCheck> healthChecks) {
        return start(config, healthChecks, HttpSecurity.open());
    }

    /** A server with {@code security} started now, for a test of its own (close it). */
    static TestCairn start(HttpConfig config, Set<HealthCheck> healthChecks, HttpSecurity security) {
        TestCairn cairn = new TestCairn(config, healthChecks, security);
        try {
            cairn.startServing();
        } catch (RuntimeException e) {
            cairn.close();
            throw e;
        }
        return cairn;
    }

    /** A server with {@code security} on a free loopback port, started now (close it). */
    static TestCairn start(HttpSecurity security) {
        return start(HttpConfig.onPort(0).withHost("127.0.0.1"), Set.of(new InMemoryEventStore()), security);
    }

    /** A GET with {@code Authorization: Bearer credential}. */
    Response get(String path, String credential) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + credential).GET());
    }

    /** A POST of JSON with {@code Authorization: Bearer credential}. */
    Response postAs(String credential, String path, String json) {
        return post(path, json, "Authorization", "Bearer " + credential);
    }

    /** How many commits the store holds, of every stream: what a refused request must leave unchanged. */
    long storedCommits() {
        long count = 0;
        long from = 0;
        while (true) {
            var slice = memory.readAll(from, GlobalLog.MAX_SLICE);
            if (slice.commits().isEmpty()) {
                return count;
            }
            count += slice.commits().size();
            from = slice.nextPosition();
        }
    }

    private void startServing() {
        projector.start();
        products.projector().start();
        feedProjector.start();
        documentProjectors.forEach(DisruptorProjector::start);
        api.start();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startServing();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Another API over the same stores and use cases, with an empty idempotency cache: a restarted process. */
    HttpApi restartedApi() {
        return anotherApi(Optional.of(memory), Optional.of(feed));
    }

    /** Another API over the same stores and use cases, without a live feed, started; stop it when done. */
    HttpApi anotherApi(Optional<GlobalLog> globalLog) {
        return anotherApi(globalLog, Optional.empty());
    }

    /** Another API over the same use cases with this global log and live feed, started; stop it when done. */
    HttpApi anotherApi(Optional<GlobalLog> globalLog, Optional<CommitFeed> liveFeed) {
        return anotherApi(globalLog, liveFeed, HttpApi.FEED_KEEP_ALIVE);
    }

    /** As {@link #anotherApi(Optional, Optional)}, with the feed's keep-alive comments {@code keepAlive} apart. */
    HttpApi anotherApi(Optional<GlobalLog> globalLog, Optional<CommitFeed> liveFeed, Duration keepAlive) {
        HttpApi another = new HttpApi(endpoints, streams, globalLog, liveFeed, Set.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), HttpConfig.onPort(0).withHost("127.0.0.1"),
                catalog);
        another.feedKeepAlive(keepAlive);
        another.start();
        return another;
    }

    URI uri(String path) {
        return uri(api, path);
    }

    static URI uri(HttpApi api, String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String json, String... headers) {
        return post(api, path, json, headers);
    }

    Response post(HttpApi target, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    /** A POST with {@code Idempotency-Key: key}. */
    Response post(String path, String json, UUID key) {
        return post(path, json, IdempotentPosts.HEADER, key.toString());
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a fresh account with {@code balance} deposited; returns its id. */
    String anOpenAccount(long balance) {
        String id = newAccountId();
        assertThat(post("/accounts/" + id + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}")
                .status()).isEqualTo(200);
        if (balance > 0) {
            assertThat(post("/accounts/" + id + "/deposit", "{\"amount\":" + balance + "}").status()).isEqualTo(200);
        }
        return id;
    }

    static String newAccountId() {
        return "acc-" + UUID.randomUUID();
    }

    static String newStream() {
        return "order-" + UUID.randomUUID();
    }

    /** Polls {@code path} until the answer passes {@code until}, for at most 5 s. */
    Response getUntil(String path, Predicate<Response> until) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Response response = get(path);
        while (!until.test(response) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            response = get(path);
        }
        return response;
    }

    @Override
    public void close() {
        api.stop();
        documentProjectors.forEach(DisruptorProjector::stop);
        feedProjector.stop();
        products.projector().stop();
        projector.stop();
    }

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }
}
