package io.cairn.contracts;

import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GlobalLog} does: commits come back in the order they were acknowledged, at consecutive
 * positions, each with its position; reading resumes exactly at {@link GlobalSlice#nextPosition()}; slices are
 * capped; a retried commit takes no second position.
 *
 * <p>To use it, extend it and implement {@link #newBackend()} to return an empty store and its global log, fresh
 * for each test.
 */
public abstract class GlobalLogContract {

    /** An event store and its global order, from one backend. */
    public record Backend(EventStore store, GlobalLog log) { }

    private EventStore store;
    private GlobalLog log;

    /** An empty store and its global log; called once before each test. */
    protected abstract Backend newBackend();

    @BeforeEach
    final void createBackend() {
        Backend backend = newBackend();
        store = backend.store();
        log = backend.log();
    }

    @Test
    void an_empty_store_reads_nothing_and_its_first_commit_takes_position_one() {
        GlobalSlice empty = log.readAll(0, 100);
        assertThat(empty.commits()).isEmpty();
        assertThat(empty.nextPosition()).isEqualTo(1);

        RecordedCommit first = store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(log.readAll(empty.nextPosition(), 100).commits())
                .extracting(RecordedCommit::commitId).containsExactly(first.commitId());
    }

    @Test
    void commits_of_several_streams_come_back_in_acknowledgement_order_at_consecutive_positions() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        List<UUID> acknowledged = new ArrayList<>();
        acknowledged.add(store.append(a, ExpectedRevision.NO_STREAM, anyCommit()).commit().commitId());
        acknowledged.add(store.append(b, ExpectedRevision.NO_STREAM, anyCommit()).commit().commitId());
        acknowledged.add(store.append(a, ExpectedRevision.exactly(1), anyCommit()).commit().commitId());

        GlobalSlice slice = log.readAll(0, 100);

        assertThat(slice.commits()).extracting(RecordedCommit::commitId).containsExactlyElementsOf(acknowledged);
        assertThat(slice.commits()).extracting(c -> c.position().getAsLong()).containsExactly(1L, 2L, 3L);
        assertThat(slice.commits()).extracting(RecordedCommit::stream).containsExactly(a, b, a);
        assertThat(slice.commits()).extracting(RecordedCommit::revision).containsExactly(1L, 1L, 2L);
        assertThat(slice.nextPosition()).isEqualTo(4);
    }

    @Test
    void the_position_an_append_returns_is_the_one_the_log_shows() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        RecordedCommit second = store.append(stream, ExpectedRevision.exactly(1), anyCommit()).commit();

        assertThat(second.position()).hasValue(2);
        assertThat(log.readAll(2, 1).commits()).extracting(RecordedCommit::commitId).containsExactly(second.commitId());
    }

    @Test
    void reading_from_next_position_resumes_exactly_after_the_last_commit_read() {
        StreamId stream = aNewStream();
        for (int i = 0; i < 7; i++) {
            store.append(stream, ExpectedRevision.exactly(i), anyCommit());
        }

        List<Long> revisions = new ArrayList<>();
        long from = 0;
        for (GlobalSlice slice = log.readAll(from, 3); !slice.commits().isEmpty(); slice = log.readAll(from, 3)) {
            assertThat(slice.commits()).hasSizeLessThanOrEqualTo(3);
            slice.commits().forEach(c -> revisions.add(c.revision()));
            from = slice.nextPosition();
        }

        assertThat(revisions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(from).isEqualTo(8);
    }

    @Test
    void a_read_past_the_end_is_empty_and_resumes_where_it_asked() {
        store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit());
        assertThat(log.readAll(1, 10).commits()).hasSize(1);

        GlobalSlice slice = log.readAll(5, 10);

        assertThat(slice.commits()).isEmpty();
        assertThat(slice.nextPosition()).isEqualTo(5);
    }

    @Test
    void a_retried_commit_takes_no_second_position() {
        StreamId stream = aNewStream();
        var commit = anyCommit();
        store.append(stream, ExpectedRevision.NO_STREAM, commit);
        store.append(stream, ExpectedRevision.NO_STREAM, commit);
        store.append(stream, ExpectedRevision.exactly(1), anyCommit());

        assertThat(log.readAll(0, 10).commits()).extracting(c -> c.position().getAsLong()).containsExactly(1L, 2L);
    }

    @Test
    void a_slice_is_capped_at_max_slice() {
        StreamId stream = aNewStream();
        for (int i = 0; i < GlobalLog.MAX_SLICE + 1; i++) {
            store.append(stream, ExpectedRevision.exactly(i), anyCommit());
        }

        assertThat(log.readAll(1, Integer.MAX_VALUE).commits()).hasSize(GlobalLog.MAX_SLICE);
    }

    @Test
    void bad_arguments_are_refused() {
        assertThatThrownBy(() -> log.readAll(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.readAll(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_head_is_the_position_of_the_last_commit_and_zero_when_empty() {
        assertThat(log.headPosition()).isZero();
        StreamId stream = aNewStream();

        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        RecordedCommit second = store.append(aNewStream(), ExpectedRevision.NO_STREAM, anyCommit()).commit();

        assertThat(log.headPosition()).isEqualTo(2);
        assertThat(second.position()).hasValue(log.headPosition());
    }
}
