package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.AggregateQueries.Consistency;
import io.cairn.application.port.AppendResult;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.projection.Delivery;
import io.cairn.application.projection.Projection;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.accounts.AccountCommand.OpenAccount;
import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each use case marks the store calls it makes with its purpose, and restores the caller's mark afterwards. */
class PurposeTest {

    private final Ledger ledger = new Ledger();
    private final List<Purpose> seen = new CopyOnWriteArrayList<>();
    private final ForwardingEventStore recording = new ForwardingEventStore(ledger.store) {
        @Override
        public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
            seen.add(Purpose.current());
            return super.append(stream, expected, commit);
        }

        @Override
        public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
            seen.add(Purpose.current());
            return super.read(stream, fromRevision, maxCommits);
        }

        @Override
        public long revision(StreamId stream) {
            seen.add(Purpose.current());
            return super.revision(stream);
        }
    };

    @Test
    void scopes_nest_and_restore_the_outer_purpose() {
        assertThat(Purpose.current()).isEqualTo(Purpose.OTHER);
        try (Purpose.Scope outer = Purpose.QUERY.enter()) {
            try (Purpose.Scope inner = Purpose.COMMAND.enter()) {
                assertThat(Purpose.current()).isEqualTo(Purpose.COMMAND);
            }
            assertThat(Purpose.current()).isEqualTo(Purpose.QUERY);
        }
        assertThat(Purpose.current()).isEqualTo(Purpose.OTHER);
    }

    @Test
    void a_command_marks_its_calls_as_command() {
        var handler = CommandHandler.builder(ledger.accounts, ledger.codec, recording).views(ledger.views)
                .fastChannel(ledger.fastChannel).build();

        handler.handle(Ledger.newAccountId(), UUID.randomUUID(), new OpenAccount("Ada", "EUR", 0));

        assertThat(seen).isNotEmpty().containsOnly(Purpose.COMMAND);
        assertThat(Purpose.current()).isEqualTo(Purpose.OTHER);
    }

    @Test
    void a_query_marks_its_calls_as_query() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));

        new AggregateQueries<>(ledger.accounts, ledger.codec, recording, ledger.views).find(id, Consistency.STRONG);

        assertThat(seen).isNotEmpty().containsOnly(Purpose.QUERY);
    }

    @Test
    void the_raw_stream_api_marks_appends_as_command_and_reads_as_query() {
        Streams streams = new Streams(recording, ledger.fastChannel, Set.of());
        StreamId stream = StreamId.of("orders-1");

        streams.append(stream, ExpectedRevision.NO_STREAM, Commit.of(UUID.randomUUID(),
                List.of(ledger.codec.encode(new Deposited(1)))));
        assertThat(seen).containsExactly(Purpose.COMMAND);
        streams.read(stream, 1, 10);
        streams.revision(stream);

        assertThat(seen).containsExactly(Purpose.COMMAND, Purpose.QUERY, Purpose.QUERY);
    }

    @Test
    void a_projector_filling_a_gap_marks_its_reads_as_projection() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.appendDirectly(id, new Deposited(3));
        StreamId stream = ledger.streamOf(id);
        RecordedCommit second = ledger.memoryStore.read(stream, 2, 1).commits().get(0);
        // in stream order a gap is read from the stream; the commit before it is missing from the views
        var shard = Projection.builder("p", ledger.accounts, ledger.codec, recording, ledger.views, ledger.checkpoints)
                .build().shard(0, 1, Optional.empty());

        shard.accept(second, Delivery.durable(new Checkpoint("after-the-second")));
        shard.endOfBatch();

        assertThat(seen).isNotEmpty().containsOnly(Purpose.PROJECTION);
        assertThat(ledger.views.get(stream).orElseThrow().revision()).isEqualTo(2);
    }
}
