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
}
