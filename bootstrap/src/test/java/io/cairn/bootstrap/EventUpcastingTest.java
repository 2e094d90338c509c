package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.application.port.EventStore;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Commit;
import io.cairn.domain.Decision;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events written under older versions of their types, straight through the {@link EventStore} port as an older
 * release wrote them, read by a Cairn whose domain registers the current versions and upcasters: commands catch up
 * on them, the strong query, the aggregate's view and a document projection fold them, {@code GET /streams} shows
 * them as the current version; a stored event no upcaster can read stops, naming its stream, revision and type. On
 * every store.
 */
class EventUpcastingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    // ---- a domain of the test's own: wallets, whose credits changed shape twice ---------------------------------

    public sealed interface WalletCommand permits Open, Spend {
    }

    public record Open(String owner) implements WalletCommand {
    }

    public record Spend(long cents) implements WalletCommand {
    }

    /**
     * Version 1 of Credited was called Deposited, {@code {"amount":5}} in whole euros; version 2 renamed it and added
     * the currency, {@code {"amount":5,"currency":"EUR"}}; version 3, the current one, counts cents.
     */
    public sealed interface WalletEvent permits Opened, Credited, Debited {
    }

    public record Opened(String owner) implements WalletEvent {
    }

    public record Credited(long cents, String currency) implements WalletEvent {
    }

    public record Debited(long cents) implements WalletEvent {
    }

    public record Wallet(String owner, long cents) {
    }

    /** Per owner, the cents of all their wallets. */
    public record OwnerTotal(String owner, long cents) {
    }

    static final class Wallets implements Aggregate<WalletCommand, WalletEvent, Wallet> {
        @Override
        public String category() {
            return "wallet";
        }

        @Override
        public Wallet initialState() {
            return new Wallet(null, 0);
        }

        @Override
        public Decision<WalletEvent> decide(WalletCommand command, Wallet state) {
            if (command instanceof Open open) {
                return Decision.accept(new Opened(open.owner()));
            }
            Spend spend = (Spend) command;
            return spend.cents() > state.cents()
                    ? Decision.reject("insufficient_funds", "the wallet holds " + state.cents() + " cents")
                    : Decision.accept(new Debited(spend.cents()));
        }

        @Override
        public Wallet evolve(Wallet state, WalletEvent event) {
            if (event instanceof Opened opened) {
                return new Wallet(opened.owner(), 0);
            }
            if (event instanceof Credited credited) {
                return new Wallet(state.owner(), state.cents() + credited.cents());
            }
            return new Wallet(state.owner(), state.cents() - ((Debited) event).cents());
        }
    }

    static final AggregateType<WalletCommand, WalletEvent, Wallet> WALLETS = AggregateType.builder(new Wallets())
            .collection("wallets")
            .command("open", CommandReader.json(Open.class))
            .command("spend", CommandReader.json(Spend.class))
            .events(WalletEvent.class)
            .eventVersion("Credited", 3)
            .upcast("Deposited", 1, "Credited", data -> {
                data.put("currency", "EUR");
                return data;
            })
            .upcast("Credited", 2, data -> {
                long euros = ((Number) data.remove("amount")).longValue();
                data.put("cents", euros * 100);
                return data;
            })
            .state(Wallet.class, 1)
            .build();

    static final DocumentProjection<OwnerTotal> OWNERS = DocumentProjection.<WalletEvent, Wallet, OwnerTotal>of(
            "wallet-owners", WALLETS,
            OwnerTotal.class, event -> {
                String owner = event.event() instanceof Opened opened ? opened.owner() : event.stateBefore().owner();
                long delta = event.event() instanceof Credited credited ? credited.cents()
                        : event.event() instanceof Debited debited ? -debited.cents() : 0;
                return List.of(DocumentChange.<OwnerTotal>update(owner, current -> Optional.of(
                        new OwnerTotal(owner, current.map(OwnerTotal::cents).orElse(0L) + delta))));
            });

    public static final class WalletsDomain implements Domain {
        @Override
        public String name() {
            return "wallets";
        }

        @Override
        public void register(DomainRegistry registry) {
            registry.aggregate(WALLETS);
            registry.projection(OWNERS);
        }
    }

    // ---- the test -----------------------------------------------------------------------------------------------

    @TempDir
    Path dataDir;
    private Cairn cairn;

    @AfterEach
    void stop() {
        if (cairn != null) {
            cairn.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void events_of_older_versions_read_as_the_current_version_everywhere_and_an_unreadable_one_stops_by_name(
            TestStores store) throws Exception {
        cairn = Cairn.builder().config(CairnConfig.load(Optional.empty(), store.environment(dataDir)))
                .domain(new WalletsDomain()).start();
        EventStore events = cairn.eventStore();
        String id = UUID.randomUUID().toString();
        String owner = "owner-" + id;
        StreamId wallet = StreamId.of("wallet-" + id);
        // as an older release stored them: Deposited v1 (euros), then Credited v2 (euros and currency)
        append(events, wallet, 0, new EventData("Opened", "{\"owner\":\"" + owner + "\"}"));
        append(events, wallet, 1, new EventData("Deposited", "{\"amount\":5}"));
        append(events, wallet, 2, new EventData("Credited", "{\"amount\":2,\"currency\":\"EUR\"}", "{}", 2));
        StreamId raw = StreamId.of("legacy-" + id);
        append(events, raw, 0, new EventData("Deposited", "{\"amount\":5}"));

        // the strong query folds the stored events as Credited v3
        JsonNode strong = json(get("/wallets/" + id + "?consistency=strong"), 200);
        assertThat(strong.path("cents").asLong()).isEqualTo(700);
        assertThat(strong.path("revision").asLong()).isEqualTo(3);

        // a command decides on them (caught up from the store, or the view that folded them)
        HttpResponse<String> spent = post("/wallets/" + id + "/spend", "{\"cents\":650}");
        JsonNode accepted = json(spent, 200);
        assertThat(accepted.path("revision").asLong()).isEqualTo(4);
        HttpResponse<String> refused = post("/wallets/" + id + "/spend", "{\"cents\":51}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("holds 50 cents");

        // the aggregate's view and the document projection folded them too
        String token = accepted.path("token").asText();
        JsonNode total = json(get("/views/wallet-owners/" + owner + "?after=" + token + "&wait=20s"), 200);
        assertThat(total.path("cents").asLong()).isEqualTo(50);
        JsonNode view = viewAt(id, 4);
        assertThat(view.path("cents").asLong()).isEqualTo(50);
        assertThat(view.path("owner").asText()).isEqualTo(owner);

        // GET /streams shows the aggregate's events as the current version; a raw stream's as stored
        JsonNode commits = json(get("/streams/" + wallet.value()), 200).path("commits");
        JsonNode deposited = commits.get(1).path("events").get(0);
        assertThat(deposited.path("type").asText()).isEqualTo("Credited");
        assertThat(deposited.path("version").asInt()).isEqualTo(3);
        assertThat(deposited.path("data")).isEqualTo(JSON.readTree("{\"currency\":\"EUR\",\"cents\":500}"));
        JsonNode credited = commits.get(2).path("events").get(0);
        assertThat(credited.path("version").asInt()).isEqualTo(3);
        assertThat(credited.path("data").path("cents").asLong()).isEqualTo(200);
        JsonNode debited = commits.get(3).path("events").get(0);
        assertThat(debited.path("type").asText()).isEqualTo("Debited");
        assertThat(debited.path("version").asInt()).isEqualTo(1);
        JsonNode legacy = json(get("/streams/" + raw.value()), 200).path("commits").get(0).path("events").get(0);
        assertThat(legacy.path("type").asText()).isEqualTo("Deposited");
        assertThat(legacy.path("version").asInt()).isEqualTo(1);
        assertThat(legacy.path("data")).isEqualTo(JSON.readTree("{\"amount\":5}"));
        // what is stored is never rewritten; a new event is stored with its type's current version
        List<EventData> stored = events.read(wallet, 1, 10).commits().stream()
                .map(commit -> commit.events().get(0)).toList();
        assertThat(stored).extracting(EventData::type).containsExactly("Opened", "Deposited", "Credited", "Debited");
        assertThat(stored).extracting(EventData::version).containsExactly(1, 1, 2, 1);

        // a stored event no upcaster reads: Deposited version 2 never existed in this domain
        String broken = UUID.randomUUID().toString();
        StreamId brokenWallet = StreamId.of("wallet-" + broken);
        append(events, brokenWallet, 0, new EventData("Opened", "{\"owner\":\"" + owner + "\"}"));
        append(events, brokenWallet, 1, new EventData("Deposited", "{\"amount\":5}", "{}", 2));

        HttpResponse<String> command = post("/wallets/" + broken + "/spend", "{\"cents\":1}");
        assertThat(command.statusCode()).as(command.body()).isEqualTo(500);
        assertThat(json(command, 500).path("type").asText()).isEqualTo("urn:cairn:problem:unreadable-event");
        assertThat(json(command, 500).path("detail").asText()).contains(brokenWallet.value()).contains("revision 2")
                .contains("type Deposited").contains("version 2");
        HttpResponse<String> query = get("/wallets/" + broken + "?consistency=strong");
        assertThat(query.statusCode()).as(query.body()).isEqualTo(500);
        assertThat(query.body()).contains(brokenWallet.value()).contains("Deposited");
        for (String name : List.of("wallets-view", "wallet-owners")) {
            JsonNode stopped = stoppedProjection(name);
            assertThat(stopped.path("failure").path("stream").asText()).as(name).isEqualTo(brokenWallet.value());
            assertThat(stopped.path("failure").path("revision").asLong()).as(name).isEqualTo(2);
            assertThat(stopped.path("failure").path("error").asText()).as(name)
                    .contains("UnreadableEventException").contains(brokenWallet.value()).contains("revision 2")
                    .contains("type Deposited").contains("version 2");
        }
    }

    private static void append(EventStore events, StreamId stream, long revision, EventData event) {
        events.append(stream, ExpectedRevision.exactly(revision), new Commit(UUID.randomUUID(), List.of(event),
                Map.of()));
    }

    /** The view once the projector has reached {@code revision}; it stops waiting after 20 s. */
    private JsonNode viewAt(String id, long revision) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            HttpResponse<String> view = get("/wallets/" + id);
            if (view.statusCode() == 200 && JSON.readTree(view.body()).path("revision").asLong() >= revision) {
                return JSON.readTree(view.body());
            }
            assertThat(System.nanoTime()).as("the view of " + id + " at " + revision + ": " + view.body())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The projection once it has stopped; it stops waiting after 20 s. */
    private JsonNode stoppedProjection(String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            for (JsonNode projection : JSON.readTree(get("/projections").body()).path("projections")) {
                if (projection.path("name").asText().equals(name)
                        && projection.path("state").asText().equals("stopped")) {
                    return projection;
                }
            }
            assertThat(System.nanoTime()).as(name + " stopped: " + get("/projections").body()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + cairn.httpPort() + path);
    }
}
