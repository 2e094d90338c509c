package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.OptionalBinder;
import io.cairn.application.AggregateQueries;
import io.cairn.application.CommandHandler;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.Streams;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.accounts.AccountCommand;
import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.accounts.AccountsDomain;
import com.google.inject.multibindings.Multibinder;
import io.cairn.json.JacksonEventCodec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpModuleTest {

    @Test
    void the_module_gives_one_unstarted_api_that_starts_on_a_free_port() throws Exception {
        Injector injector = Guice.createInjector(new HttpModule(HttpConfig.onPort(0).withHost("127.0.0.1")),
                new UseCases());

        HttpApi api = injector.getInstance(HttpApi.class);
        assertThat(injector.getInstance(HttpApi.class)).isSameAs(api);
        assertThat(api.name()).isEqualTo("http");
        assertThatThrownBy(api::port).isInstanceOf(IllegalStateException.class);

        api.start();
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"checks\":{}");
        } finally {
            api.stop();
        }
        api.stop();
    }

    @Test
    void a_stopped_api_starts_again() throws Exception {
        HttpApi api = Guice.createInjector(new HttpModule(HttpConfig.onPort(0).withHost("127.0.0.1")), new UseCases())
                .getInstance(HttpApi.class);
        api.start();
        api.stop();
        api.start();
        try {
            assertThat(api.port()).isPositive();
        } finally {
            api.stop();
        }
    }

    @Test
    void a_live_feed_bound_through_the_optional_binder_serves_get_feed_and_without_one_it_answers_501()
            throws Exception {
        HttpApi withoutFeed = Guice.createInjector(new HttpModule(HttpConfig.onPort(0).withHost("127.0.0.1")),
                new UseCases()).getInstance(HttpApi.class);
        HttpApi withFeed = Guice.createInjector(new HttpModule(HttpConfig.onPort(0).withHost("127.0.0.1")),
                new UseCases(), new AbstractModule() {
                    @Override
                    protected void configure() {
                        InMemoryEventStore store = new InMemoryEventStore();
                        OptionalBinder.newOptionalBinder(binder(), CommitFeed.class).setBinding().toInstance(
                                new CommitFeed(listener -> () -> { }, Optional.of(store),
                                        new InMemoryDurableChannel(store)));
                    }
                }).getInstance(HttpApi.class);
        withoutFeed.start();
        withFeed.start();
        try {
            assertThat(get(withoutFeed, "/feed?lastEventId=x").statusCode()).isEqualTo(501);
            // the feed is there: it checks the resume point before streaming
            assertThat(get(withFeed, "/feed?lastEventId=x").statusCode()).isEqualTo(400);
        } finally {
            withoutFeed.stop();
            withFeed.stop();
        }
    }

    private static HttpResponse<String> get(HttpApi api, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the bootstrap binds: the aggregates' endpoints into the set, and the raw stream API. */
    private static final class UseCases extends AbstractModule {
        @Override
        protected void configure() {
            Accounts accounts = new Accounts();
            JacksonEventCodec<AccountEvent> codec = JacksonEventCodec.forSealed(AccountEvent.class);
            InMemoryEventStore store = new InMemoryEventStore();
            InMemoryViewStore<AccountState> views = new InMemoryViewStore<>();
            InProcessFastChannel fastChannel = new InProcessFastChannel();
            Multibinder.newSetBinder(binder(), new TypeLiteral<AggregateEndpoint<?, ?, ?>>() { }).addBinding()
                    .toInstance(AggregateEndpoint.of(AccountsDomain.ACCOUNTS,
                            CommandHandler.builder(accounts, codec, store).views(views).fastChannel(fastChannel)
                                    .build(),
                            new AggregateQueries<>(accounts, codec, store, views)));
            bind(Streams.class).toInstance(new Streams(store, fastChannel, Set.of(Accounts.CATEGORY)));
            bind(PrometheusMeterRegistry.class).toInstance(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        }
    }
}
