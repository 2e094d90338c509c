package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StreamsTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InProcessFastChannel fast = new InProcessFastChannel();
    private final Streams streams = new Streams(store, fast, java.util.Set.of("account"));

    @Test
    void an_appended_commit_is_published_on_the_fast_channel() {
        List<RecordedCommit> seen = new CopyOnWriteArrayList<>();
        try (var subscription = fast.listen(seen::add)) {
            streams.append(StreamId.of("order-1"), ExpectedRevision.NO_STREAM,
                    Commit.of(UUID.randomUUID(), new EventData("OrderPlaced", "{\"total\":3}")));

            Eventually.within(Duration.ofSeconds(5), "fast delivery", () -> seen.size() == 1);
        }
        assertThat(seen.get(0).stream()).isEqualTo(StreamId.of("order-1"));
    }

    @Test
    void streams_of_an_aggregate_category_cannot_be_written_raw_and_nothing_is_stored() {
        StreamId account = StreamId.of("account-1");

        assertThatThrownBy(() -> streams.append(account, ExpectedRevision.ANY,
                Commit.of(UUID.randomUUID(), new EventData("Deposited", "{\"amount\":5}"))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("stream"));
        assertThat(store.revision(account)).isZero();
        assertThat(fast.published()).isZero();
    }

    @Test
    void an_aggregates_stream_reads_upcast_and_one_it_cannot_upcast_is_named_by_stream_revision_and_type() {
        // a codec whose only upcaster turns Deposited v1 into v2; it decodes nothing, it is only read through
        io.cairn.domain.EventCodec<Object> codec = new io.cairn.domain.EventCodec<>() {
            @Override
            public EventData encode(Object event) {
                throw new IllegalArgumentException("not used");
            }

            @Override
            public Object decode(EventData event) {
                return upcast(event);
            }

            @Override
            public EventData upcast(EventData stored) {
                if (stored.version() == 1) {
                    return new EventData(stored.type(), "{\"cents\":500}", stored.metadata(), 2);
                }
                throw new InvalidInputException("version", "version " + stored.version() + " is unknown");
            }

            @Override
            public java.util.Set<String> types() {
                return java.util.Set.of("Deposited");
            }
        };
        Streams upcasting = new Streams(store, fast, java.util.Set.of("account"), java.util.Map.of("account", codec));
        StreamId account = StreamId.of("account-2");
        StreamId raw = StreamId.of("ledger-2");
        store.append(account, ExpectedRevision.NO_STREAM, Commit.of(UUID.randomUUID(),
                new EventData("Deposited", "{\"amount\":5}")));
        store.append(raw, ExpectedRevision.NO_STREAM, Commit.of(UUID.randomUUID(),
                new EventData("Deposited", "{\"amount\":5}")));

        EventData read = upcasting.read(account, 1, 10).commits().get(0).events().get(0);
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.data()).isEqualTo("{\"cents\":500}");
        assertThat(upcasting.read(raw, 1, 10).commits().get(0).events().get(0).data()).isEqualTo("{\"amount\":5}");

        store.append(account, ExpectedRevision.exactly(1), Commit.of(UUID.randomUUID(),
                new EventData("Deposited", "{}", "{}", 7)));
        assertThatThrownBy(() -> upcasting.read(account, 1, 10))
                .isInstanceOfSatisfying(io.cairn.domain.UnreadableEventException.class, e -> {
                    assertThat(e.stream()).isEqualTo(account);
                    assertThat(e.revision()).isEqualTo(2);
                    assertThat(e.type()).isEqualTo("Deposited");
                    assertThat(e.version()).isEqualTo(7);
                })
                .hasMessageContaining("account-2 #2 (revision 2, type Deposited, version 7)")
                .hasMessageContaining("version 7 is unknown");
    }
}
