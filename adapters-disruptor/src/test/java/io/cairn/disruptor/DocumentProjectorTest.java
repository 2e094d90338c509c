package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.accounts.AccountEvent;
import io.cairn.accounts.AccountState;
import io.cairn.accounts.Accounts;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.projection.DocumentFollow;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.ProjectionFailure;
import io.cairn.application.projection.Tagged;
import io.cairn.domain.Commit;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.DocumentHandler;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A document projection on the ring: a commit its gate cannot apply stops it there, visibly, in either order. */
class DocumentProjectorTest {

    /** Events per account. */
    record Count(long events) {
    }

    private final Accounts accounts = new Accounts();
    private final JacksonEventCodec<AccountEvent> json = JacksonEventCodec.forSealed(AccountEvent.class);
    /** Cannot read a deposit of 13: the gate fails on it while folding the stream's state. */
    private final EventCodec<AccountEvent> codec = new EventCodec<>() {
        @Override
        public EventData encode(AccountEvent event) {
            return json.encode(event);
        }

        @Override
        public AccountEvent decode(EventData event) {
            AccountEvent decoded = json.decode(event);
            if (decoded instanceof AccountEvent.Deposited deposited && deposited.amount() == 13) {
                throw new IllegalStateException("cannot read a deposit of 13");
            }
            return decoded;
        }

        @Override
        public Set<String> types() {
            return json.types();
        }
    };

    @Test
    void in_global_order() throws Exception {
        stopsAtTheCommitItCannotRead(true);
    }

    @Test
    void in_stream_order() throws Exception {
        stopsAtTheCommitItCannotRead(false);
    }

    private void stopsAtTheCommitItCannotRead(boolean globalOrder) throws Exception {
        InMemoryEventStore store = new InMemoryEventStore();
        InMemoryDocumentStore<Tagged> documents = new InMemoryDocumentStore<>("counts",
                new InMemoryCheckpointStore());
        DocumentHandler<AccountEvent, AccountState, Count> counting = event -> List.of(DocumentChange.update(
                event.aggregateId(), current -> Optional.of(new Count(current.map(Count::events).orElse(0L) + 1))));
        Projection<Object, Tagged> projection = Projection.documents("counts",
                        List.of(new DocumentFollow<>(accounts, codec, counting)), store, documents,
                        new JacksonStateCodec<>(Count.class, 1), 1_000)
                .globalLog(globalOrder ? Optional.of(store) : Optional.empty())
                .build();
        DisruptorProjector projector = DisruptorProjector.builder(projection, new InMemoryDurableChannel(store, 20),
                new InProcessFastChannel()).build();
        StreamId stream = accounts.streamOf("a1");
        append(store, stream, new AccountEvent.AccountOpened("Ada", "EUR", 0));
        append(store, stream, new AccountEvent.Deposited(5));
        append(store, stream, new AccountEvent.Deposited(13));
        append(store, stream, new AccountEvent.Deposited(7));
        projector.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (projection.failure() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // whatever it would wrongly do after the failure, give it time to
            ProjectionFailure failure = projection.failure();
            assertThat(failure).isNotNull();
            assertThat(failure.stream()).isEqualTo(stream);
            assertThat(failure.revision()).isEqualTo(3);
            assertThat(failure.error()).contains("cannot read a deposit of 13");
            assertThat(json(documents.document("a1").orElseThrow().json())).isEqualTo("{\"events\":2}");
            assertThat(documents.get(stream).orElseThrow().revision()).isEqualTo(2);
        } finally {
            projector.stop();
        }
    }

    private static String json(String text) {
        return text.replace(" ", "");
    }

    private void append(InMemoryEventStore store, StreamId stream, AccountEvent event) {
        store.append(stream, ExpectedRevision.ANY, Commit.of(UUID.randomUUID(), codec.encode(event)));
    }
}
