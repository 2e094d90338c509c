package io.cairn.contracts;

import static io.cairn.contracts.JsonAssertions.assertSameEvents;
import static io.cairn.contracts.TestCommits.aCommit;
import static io.cairn.contracts.TestCommits.anyCommit;
import static io.cairn.contracts.TestStreams.aNewStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.CommitTooLargeException;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.RecordedEvent;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link EventStore} does: append and read round trip, paging, reads up to a revision, optimistic
 * concurrency on revision, idempotency on commitId, the 400 KiB commit limit and argument checks.
 *
 * <p>To use it, extend it and implement {@link #newStore()} to return an empty store, fresh for each test (or one
 * shared store: every test writes only to streams of its own). Compares event data and metadata as JSON values,
 * so a store may normalise whitespace and key order.
 */
public abstract class EventStoreContract {

    /** Every Cairn store refuses a commit over this size (DynamoDB's item limit), before any write. */
    protected static final long COMMIT_LIMIT_BYTES = EventStore.MAX_COMMIT_BYTES;

    private static final int RACERS = 8;

    protected EventStore store;

    /** An empty store; called once before each test. */
    protected abstract EventStore newStore();

    @BeforeEach
    final void createStore() {
        store = newStore();
    }

    // ---- append and read ------------------------------------------------------------------------------------

    @Test
    void an_appended_commit_reads_back_with_its_events_metadata_and_commit_id() {
        StreamId stream = aNewStream();
        Commit commit = aCommit()
                .withEvent("AccountOpened", "{\"owner\":\"ada\",\"limit\":100}", "{\"causationId\":\"c-1\"}")
                .withEvent("MoneyDeposited", "{\"amount\":25}")
                .withMetadata("user", "ada")
                .withMetadata("correlationId", "corr-7")
                .build();

        store.append(stream, ExpectedRevision.NO_STREAM, commit);

        StreamSlice slice = store.read(stream, 1, 10);
        assertThat(slice.commits()).hasSize(1);
        RecordedCommit stored = slice.commits().get(0);
        assertThat(stored.stream()).isEqualTo(stream);
        assertThat(stored.revision()).isEqualTo(1);
        assertThat(stored.commitId()).isEqualTo(commit.commitId());
        assertThat(stored.firstEventNumber()).isEqualTo(1);
        assertSameEvents(stored.events(), commit.events());
        assertThat(stored.metadata()).isEqualTo(commit.metadata());
        assertThat(stored.recordedAt()).isNotNull();
    }

    @Test
    void each_events_version_reads_back_and_an_event_given_none_is_version_1() {
        StreamId stream = aNewStream();
        Commit commit = aCommit()
                .withEvent("Deposited", "{\"amount\":5,\"currency\":\"EUR\"}", "{}", 3)
                .withEvent("Opened", "{\"owner\":\"ada\"}")
                .withEvent("Renamed", "{}", "{}", 2)
                .build();

        store.append(stream, ExpectedRevision.NO_STREAM, commit);

        List<RecordedCommit> read = store.read(stream, 1, 10).commits();
        assertThat(read).hasSize(1);
        assertThat(read.get(0).events()).extracting(io.cairn.domain.EventData::version).containsExactly(3, 1, 2);
        assertSameEvents(read.get(0).events(), commit.events());
    }

    @Test
    void the_append_result_is_the_commit_as_read_back() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, anyCommit());
        Commit commit = aCommit().withEvents(2).withMetadata("user", "ada").build();

        AppendResult result = store.append(stream, ExpectedRevision.exactly(1), commit);

        assertThat(result.duplicate()).isFalse();
        assertThat(result.revision()).isEqualTo(2);
        assertThat(result.commit().firstEventNumber()).isEqualTo(2);
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).hasSize(2);
        assertSameCommit(result.commit(), stored.get(1));
    }

    @Test
    void event_numbers_start_at_one_and_continue_across_commits() {
        StreamId stream = aNewStream();
        store.append(stream, ExpectedRevision.NO_STREAM, aCommit().withEvents(2).build());
        store.append(stream, ExpectedRevision.exactly(1), aCommit().withEvents(3).build());
        store.append(stream, ExpectedRevision.exactly(2), aCommit().withEvents(1).build());

        List<RecordedCommit> stored = readAll(stream);

        assertThat(stored).extracting(RecordedCommit::firstEventNumber).containsExactly(1L, 3L, 6L);
        assertThat(stored.stream().flatMap(c -> c.recordedEvents().stream()).map(RecordedEvent::eventNumber))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void each_commit_takes_the_next_revision() {
        StreamId stream = aNewStream();

        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            revisions.add(store.append(stream, ExpectedRevision.ANY, anyCommit()).revision());
        }

        assertThat(revisions).containsExactly(1L, 2L, 3L, 4L);
        assertThat(readAll(stream)).extracting(RecordedCommit::revision).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void the_revision_of_a_stream_is_its_number_of_commits() {
        StreamId stream = aNewStream();
        appendCommits(stream, 3);

        assertThat(store.revision(stream)).isEqualTo(3);
    }

    @Test
    void an_absent_stream_has_revision_zero_and_reads_empty() {
        StreamId present = aNewStream();
        StreamId absent = aNewStream();
        appendCommits(present, 1);

        assertThat(store.revision(present)).isEqualTo(1);
        assertThat(store.read(present, 1, 10).commits()).hasSize(1);
        assertThat(store.revision(absent)).isZero();
        assertThat(store.read(absent, 1, 10).commits()).isEmpty();
    }

    @Test
    void event_data_and_metadata_keep_their_json_values() {
        StreamId stream = aNewStream();
        Commit commit = aCommit()
                .withEvent("Nested", "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"t\":true,\"f\":false,\"n\":-12,"
                        + "\"big\":9007199254740993,\"s\":\"quote \\\" backslash \\\\ tab \\t\"}",
                        "{\"trace\":{\"id\":\"t-1\",\"sampled\":true}}")
                .withEvent("Unicode", "{\"text\":\"données ✓ 日本 🎉\",\"escaped\":\"\\u00e9\"}")
                .withEvent("AnArray", "[3,\"two\",1]")
                .withEvent("AString", "\"just text\"")
                .withEvent("Spaced", "{ \"z\" : 1 ,\n  \"a\" : 2 }")
                .build();

        store.append(stream, ExpectedRevision.NO_STREAM, commit);

        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).hasSize(1);
        assertSameEvents(stored.get(0).events(), commit.events());
    }

    @Test
    void commit_metadata_reads_back_exactly() {
        StreamId stream = aNewStream();
        Commit commit = aCommit()
                .withMetadata("user", "ada lovelace")
                .withMetadata("reason", "données ✓ \"quoted\" {braces}")
                .withMetadata("empty", "")
                .build();

        store.append(stream, ExpectedRevision.NO_STREAM, commit);

        assertThat(readAll(stream)).singleElement().extracting(RecordedCommit::metadata).isEqualTo(commit.metadata());
    }

    // ---- paging ---------------------------------------------------------------------------------------------

    @Test
    void a_read_returns_at_most_max_commits_and_continues_from_next_revision() {
        StreamId stream = aNewStream();
        appendCommits(stream, 5);

        StreamSlice first = store.read(stream, 1, 2);
        assertThat(first.commits()).extracting(RecordedCommit::revision).containsExactly(1L, 2L);
        assertThat(first.endOfStream()).as("end of stream after revision 2 of 5").isFalse();

        StreamSlice second = store.read(stream, first.nextRevision(), 2);
        assertThat(second.commits()).extracting(RecordedCommit::revision).containsExactly(3L, 4L);
        assertThat(second.endOfStream()).as("end of stream after revision 4 of 5").isFalse();

        StreamSlice third = store.read(stream, second.nextRevision(), 2);
        assertThat(third.commits()).extracting(RecordedCommit::revision).containsExactly(5L);
    }

    @ParameterizedTest(name = "maxCommits = {0}")
    @ValueSource(ints = {1, 2, 3, 7, 100})
    void paging_until_the_end_of_the_stream_collects_every_commit_once(int maxCommits) {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 7);

        List<RecordedCommit> collected = new ArrayList<>();
        long from = 1;
        for (int reads = 0; reads < 20; reads++) {
            StreamSlice slice = store.read(stream, from, maxCommits);
            assertThat(slice.commits().size()).as("commits in one slice").isLessThanOrEqualTo(maxCommits);
            collected.addAll(slice.commits());
            if (slice.endOfStream()) {
                assertThat(store.read(stream, slice.nextRevision(), 10).commits())
                        .as("commits after a slice that said end of stream").isEmpty();
                break;
            }
            if (slice.commits().isEmpty()) {
                break;
            }
            from = slice.nextRevision();
        }

        assertThat(collected).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
        assertThat(collected).extracting(RecordedCommit::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void a_read_from_the_middle_starts_at_from_revision() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 5);

        StreamSlice slice = store.read(stream, 3, 10);

        assertThat(slice.commits()).extracting(RecordedCommit::revision).containsExactly(3L, 4L, 5L);
        assertThat(slice.commits()).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended.subList(2, 5));
        assertThat(slice.commits().get(0).firstEventNumber()).isEqualTo(3);
    }

    @Test
    void a_read_past_the_last_commit_is_empty() {
        StreamId stream = aNewStream();
        appendCommits(stream, 3);

        assertThat(store.read(stream, 3, 10).commits()).hasSize(1);
        assertThat(store.read(stream, 4, 10).commits()).isEmpty();
        assertThat(store.read(stream, 100, 10).commits()).isEmpty();
    }

    @Test
    void a_read_returns_at_most_max_slice_commits_however_many_are_asked_for() {
        StreamId stream = aNewStream();
        int total = EventStore.MAX_SLICE + 1;
        for (int i = 0; i < total; i++) {
            store.append(stream, ExpectedRevision.exactly(i), aCommit().withEvent("Tick", "{}").build());
        }

        StreamSlice slice = store.read(stream, 1, Integer.MAX_VALUE);

        assertThat(slice.commits()).isNotEmpty().hasSizeLessThanOrEqualTo(EventStore.MAX_SLICE);
        assertThat(slice.commits()).extracting(RecordedCommit::revision)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, slice.commits().size()).boxed().toList());
        assertThat(slice.endOfStream()).as("end of stream at revision " + slice.lastRevision() + " of " + total).isFalse();
        assertThat(readAll(stream)).hasSize(total);
    }

    @Test
    void a_read_from_revision_zero_or_below_is_refused() {
        StreamId stream = aNewStream();
        appendCommits(stream, 1);

        assertThatThrownBy(() -> store.read(stream, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(stream, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_read_of_zero_or_fewer_commits_is_refused() {
        StreamId stream = aNewStream();
        appendCommits(stream, 1);

        assertThatThrownBy(() -> store.read(stream, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read(stream, 1, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- bounded reads ----------------------------------------------------------------------------------------

    @Test
    void a_read_up_to_a_revision_returns_the_commits_in_the_range_and_none_after_it() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 6);

        StreamSlice slice = store.readUpTo(stream, 2, 4, 100);

        assertThat(slice.commits()).extracting(RecordedCommit::revision).containsExactly(2L, 3L, 4L);
        assertThat(slice.commits()).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended.subList(1, 4));
        assertThat(slice.endOfStream()).as("end of stream for a slice that reached its bound").isFalse();
        assertThat(slice.nextRevision()).isEqualTo(5);
    }

    @Test
    void a_read_up_to_one_revision_returns_that_commit_as_a_plain_read_does() {
        StreamId stream = aNewStream();
        appendCommits(stream, 2);
        store.append(stream, ExpectedRevision.exactly(2), aCommit().withEvents(3).withMetadata("user", "ada").build());
        appendCommits(stream, 2);

        StreamSlice slice = store.readUpTo(stream, 3, 3, 1);

        assertThat(slice.commits()).hasSize(1);
        assertSameCommit(slice.commits().get(0), store.read(stream, 3, 1).commits().get(0));
    }

    @Test
    void a_read_up_to_a_revision_past_the_end_of_the_stream_returns_the_rest_and_says_it_ended() {
        StreamId stream = aNewStream();
        StreamId absent = aNewStream();
        appendCommits(stream, 3);

        StreamSlice slice = store.readUpTo(stream, 2, 10, 100);

        assertThat(slice.commits()).extracting(RecordedCommit::revision).containsExactly(2L, 3L);
        assertThat(slice.endOfStream()).as("end of stream at revision 3 of 3, bound 10").isTrue();
        assertThat(store.readUpTo(stream, 4, 10, 100).commits()).isEmpty();
        StreamSlice none = store.readUpTo(absent, 1, 10, 100);
        assertThat(none.commits()).isEmpty();
        assertThat(none.endOfStream()).isTrue();
    }

    @Test
    void a_read_up_to_a_revision_also_returns_at_most_max_commits() {
        StreamId stream = aNewStream();
        appendCommits(stream, 5);

        StreamSlice first = store.readUpTo(stream, 1, 4, 3);
        StreamSlice second = store.readUpTo(stream, first.nextRevision(), 4, 3);

        assertThat(first.commits()).extracting(RecordedCommit::revision).containsExactly(1L, 2L, 3L);
        assertThat(first.endOfStream()).isFalse();
        assertThat(second.commits()).extracting(RecordedCommit::revision).containsExactly(4L);
        assertThat(second.endOfStream()).as("end of stream for a slice that reached its bound").isFalse();
    }

    @Test
    void a_read_up_to_a_revision_below_its_first_or_from_revision_zero_is_refused() {
        StreamId stream = aNewStream();
        appendCommits(stream, 3);

        assertThatThrownBy(() -> store.readUpTo(stream, 3, 2, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readUpTo(stream, 0, 2, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.readUpTo(stream, 1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- expected revision ----------------------------------------------------------------------------------

    @Test
    void no_stream_creates_a_new_stream() {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();

        AppendResult result = store.append(stream, ExpectedRevision.NO_STREAM, commit);

        assertThat(result.revision()).isEqualTo(1);
        assertThat(result.duplicate()).isFalse();
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactly(commit.commitId());
    }

    @Test
    void no_stream_on_an_existing_stream_is_a_conflict_that_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 1);

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, ExpectedRevision.NO_STREAM, anyCommit()));

        assertConflict(conflict, stream, ExpectedRevision.NO_STREAM, 1);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void any_creates_a_new_stream() {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();

        AppendResult result = store.append(stream, ExpectedRevision.ANY, commit);

        assertThat(result.revision()).isEqualTo(1);
        assertThat(store.revision(stream)).isEqualTo(1);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactly(commit.commitId());
    }

    @Test
    void any_appends_after_whatever_the_stream_holds() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 2));
        Commit commit = anyCommit();

        AppendResult result = store.append(stream, ExpectedRevision.ANY, commit);
        appended.add(commit.commitId());

        assertThat(result.revision()).isEqualTo(3);
        assertThat(result.commit().firstEventNumber()).isEqualTo(3);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void an_exact_expected_revision_that_matches_appends_the_next_revision() {
        StreamId stream = aNewStream();
        appendCommits(stream, 2);
        Commit commit = anyCommit();

        AppendResult result = store.append(stream, ExpectedRevision.exactly(2), commit);

        assertThat(result.revision()).isEqualTo(3);
        assertThat(store.revision(stream)).isEqualTo(3);
        assertThat(store.read(stream, 3, 1).commits()).extracting(RecordedCommit::commitId)
                .containsExactly(commit.commitId());
    }

    @Test
    void an_exact_expected_revision_behind_the_stream_is_a_conflict_that_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 3);
        ExpectedRevision stale = ExpectedRevision.exactly(1);

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, stale, anyCommit()));

        assertConflict(conflict, stream, stale, 3);
        assertThat(store.revision(stream)).isEqualTo(3);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void an_exact_expected_revision_ahead_of_the_stream_is_a_conflict_that_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 1);
        ExpectedRevision ahead = ExpectedRevision.exactly(5);

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, ahead, anyCommit()));

        assertConflict(conflict, stream, ahead, 1);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void an_exact_expected_revision_on_an_absent_stream_is_a_conflict_that_stores_nothing() {
        StreamId stream = aNewStream();
        ExpectedRevision one = ExpectedRevision.exactly(1);

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, one, anyCommit()));

        assertConflict(conflict, stream, one, 0);
        assertThat(store.revision(stream)).isZero();
        assertThat(store.read(stream, 1, 10).commits()).isEmpty();
    }

    // ---- concurrency ----------------------------------------------------------------------------------------

    @Test
    void of_concurrent_appenders_with_the_same_expected_revision_exactly_one_wins() {
        StreamId stream = aNewStream();
        List<UUID> before = appendCommits(stream, 1);
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            commits.add(anyCommit());
        }

        List<Race.Outcome<AppendResult>> outcomes = Race.run(RACERS,
                i -> () -> store.append(stream, ExpectedRevision.exactly(1), commits.get(i)));

        assertOneWinnerAtRevision(outcomes, 2, stream, ExpectedRevision.exactly(1));
        int winner = outcomes.stream().filter(Race.Outcome::succeeded).findFirst().orElseThrow().racer();
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId)
                .containsExactly(before.get(0), commits.get(winner).commitId());
    }

    @Test
    void of_concurrent_creators_of_one_stream_exactly_one_wins() {
        StreamId stream = aNewStream();
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            commits.add(anyCommit());
        }

        List<Race.Outcome<AppendResult>> outcomes = Race.run(RACERS,
                i -> () -> store.append(stream, ExpectedRevision.NO_STREAM, commits.get(i)));

        assertOneWinnerAtRevision(outcomes, 1, stream, ExpectedRevision.NO_STREAM);
        int winner = outcomes.stream().filter(Race.Outcome::succeeded).findFirst().orElseThrow().racer();
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactly(commits.get(winner).commitId());
    }

    // ---- idempotency ----------------------------------------------------------------------------------------

    @Test
    void a_second_append_with_the_same_commit_id_and_exact_expected_revision_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 1));
        Commit commit = aCommit().withEvents(2).build();
        AppendResult original = store.append(stream, ExpectedRevision.exactly(1), commit);
        appended.add(commit.commitId());

        AppendResult retry = store.append(stream, ExpectedRevision.exactly(1), commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(original.duplicate()).isFalse();
        assertThat(store.revision(stream)).isEqualTo(2);
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
        assertSameCommit(retry.commit(), stored.get(1));
    }

    @Test
    void a_second_append_of_the_first_commit_with_no_stream_stores_nothing() {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();
        store.append(stream, ExpectedRevision.NO_STREAM, commit);

        AppendResult retry = store.append(stream, ExpectedRevision.NO_STREAM, commit);

        assertThat(retry.duplicate()).isTrue();
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactly(commit.commitId());
        assertSameCommit(retry.commit(), stored.get(0));
    }

    @Test
    void a_second_append_with_the_same_commit_id_and_any_right_after_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 1));
        Commit commit = anyCommit();
        store.append(stream, ExpectedRevision.ANY, commit);
        appended.add(commit.commitId());

        AppendResult retry = store.append(stream, ExpectedRevision.ANY, commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.revision()).isEqualTo(2);
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
        assertSameCommit(retry.commit(), stored.get(1));
    }

    @Test
    void a_retry_with_any_after_the_stream_moved_on_within_the_idempotency_window_stores_nothing() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 1));
        Commit commit = anyCommit();
        store.append(stream, ExpectedRevision.exactly(1), commit);
        appended.add(commit.commitId());
        // the commit is now the oldest of the stream's last ANY_IDEMPOTENCY_WINDOW commits
        appended.addAll(appendCommits(stream, EventStore.ANY_IDEMPOTENCY_WINDOW - 1));
        long revision = store.revision(stream);

        AppendResult retry = store.append(stream, ExpectedRevision.ANY, commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.revision()).isEqualTo(2);
        assertThat(retry.commit().commitId()).isEqualTo(commit.commitId());
        assertThat(store.revision(stream)).isEqualTo(revision).isEqualTo(1 + EventStore.ANY_IDEMPOTENCY_WINDOW);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void a_retry_with_the_original_expected_revision_after_the_stream_moved_on_returns_the_original_commit() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 1));
        Commit commit = aCommit().withEvents(2).build();
        store.append(stream, ExpectedRevision.exactly(1), commit);
        appended.add(commit.commitId());
        // further than any ANY window: exact retries are recognised however far the stream has moved on
        appended.addAll(appendCommits(stream, EventStore.ANY_IDEMPOTENCY_WINDOW + 4));

        AppendResult retry = store.append(stream, ExpectedRevision.exactly(1), commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.revision()).isEqualTo(2);
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
        assertSameCommit(retry.commit(), stored.get(1));
    }

    @Test
    void a_retry_of_the_first_commit_with_no_stream_after_the_stream_moved_on_returns_the_original_commit() {
        StreamId stream = aNewStream();
        Commit commit = anyCommit();
        store.append(stream, ExpectedRevision.NO_STREAM, commit);
        List<UUID> appended = new ArrayList<>(List.of(commit.commitId()));
        appended.addAll(appendCommits(stream, EventStore.ANY_IDEMPOTENCY_WINDOW + 4));

        AppendResult retry = store.append(stream, ExpectedRevision.NO_STREAM, commit);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.revision()).isEqualTo(1);
        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
        assertSameCommit(retry.commit(), stored.get(0));
    }

    @Test
    void the_same_events_under_a_different_commit_id_at_a_taken_revision_are_a_conflict() {
        StreamId stream = aNewStream();
        List<UUID> appended = new ArrayList<>(appendCommits(stream, 1));
        Commit first = aCommit().withEvent("MoneyDeposited", "{\"amount\":5}").build();
        store.append(stream, ExpectedRevision.exactly(1), first);
        appended.add(first.commitId());
        Commit sameEventsOtherId = new Commit(UUID.randomUUID(), first.events(), first.metadata());

        WrongExpectedRevision conflict = catchThrowableOfType(WrongExpectedRevision.class,
                () -> store.append(stream, ExpectedRevision.exactly(1), sameEventsOtherId));

        assertConflict(conflict, stream, ExpectedRevision.exactly(1), 2);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    // ---- streams, limits ------------------------------------------------------------------------------------

    @Test
    void streams_are_independent() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        List<UUID> inA = appendCommits(a, 3);
        List<UUID> inB = appendCommits(b, 1);

        assertThat(store.append(b, ExpectedRevision.exactly(1), anyCommit()).revision()).isEqualTo(2);

        assertThat(store.revision(a)).isEqualTo(3);
        assertThat(store.revision(b)).isEqualTo(2);
        List<RecordedCommit> readA = readAll(a);
        assertThat(readA).extracting(RecordedCommit::commitId).containsExactlyElementsOf(inA);
        assertThat(readA).extracting(RecordedCommit::stream).containsOnly(a);
        assertThat(readAll(b)).extracting(RecordedCommit::commitId).startsWith(inB.get(0)).hasSize(2);
        assertThat(readAll(b)).extracting(RecordedCommit::stream).containsOnly(b);
    }

    @Test
    void a_commit_over_400_kib_is_refused_and_nothing_is_stored() {
        StreamId stream = aNewStream();
        List<UUID> appended = appendCommits(stream, 1);
        Commit tooLarge = TestCommits.ofApproximateSize(COMMIT_LIMIT_BYTES + 1024);

        CommitTooLargeException refused = catchThrowableOfType(CommitTooLargeException.class,
                () -> store.append(stream, ExpectedRevision.ANY, tooLarge));

        assertThat(refused).as("CommitTooLargeException").isNotNull();
        assertThat(store.revision(stream)).isEqualTo(1);
        assertThat(readAll(stream)).extracting(RecordedCommit::commitId).containsExactlyElementsOf(appended);
    }

    @Test
    void a_large_commit_under_the_limit_round_trips() {
        StreamId stream = aNewStream();
        Commit large = TestCommits.ofApproximateSize(300 * 1024);

        store.append(stream, ExpectedRevision.NO_STREAM, large);

        List<RecordedCommit> stored = readAll(stream);
        assertThat(stored).hasSize(1);
        assertSameEvents(stored.get(0).events(), large.events());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Appends {@code n} commits at the stream's current revision; returns their ids in order. */
    protected final List<UUID> appendCommits(StreamId stream, int n) {
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Commit commit = anyCommit();
            store.append(stream, ExpectedRevision.ANY, commit);
            ids.add(commit.commitId());
        }
        return ids;
    }

    /** Every commit of the stream, paging until an empty slice or the end of the stream. */
    protected final List<RecordedCommit> readAll(StreamId stream) {
        List<RecordedCommit> all = new ArrayList<>();
        long from = 1;
        for (int reads = 0; reads < 10_000; reads++) {
            StreamSlice slice = store.read(stream, from, EventStore.MAX_SLICE);
            all.addAll(slice.commits());
            if (slice.endOfStream() || slice.commits().isEmpty()) {
                return all;
            }
            from = slice.nextRevision();
        }
        throw new AssertionError("reading " + stream + " did not reach its end");
    }

    private static void assertSameCommit(RecordedCommit actual, RecordedCommit expected) {
        assertThat(actual.stream()).as("stream").isEqualTo(expected.stream());
        assertThat(actual.revision()).as("revision").isEqualTo(expected.revision());
        assertThat(actual.commitId()).as("commitId").isEqualTo(expected.commitId());
        assertThat(actual.firstEventNumber()).as("firstEventNumber").isEqualTo(expected.firstEventNumber());
        assertSameEvents(actual.events(), expected.events());
        assertThat(actual.metadata()).as("metadata").isEqualTo(expected.metadata());
        assertThat(actual.recordedAt()).as("recordedAt").isEqualTo(expected.recordedAt());
        assertThat(actual.position()).as("position").isEqualTo(expected.position());
    }

    private static void assertConflict(WrongExpectedRevision conflict, StreamId stream, ExpectedRevision expected,
                                       long actualRevision) {
        assertThat(conflict).as("WrongExpectedRevision").isNotNull();
        assertThat(conflict.stream()).isEqualTo(stream);
        assertThat(conflict.expected()).isEqualTo(expected);
        if (conflict.actual().isPresent()) {
            assertThat(conflict.actual().getAsLong()).as("actual revision").isEqualTo(actualRevision);
        }
    }

    private void assertOneWinnerAtRevision(List<Race.Outcome<AppendResult>> outcomes, long revision, StreamId stream,
                                           ExpectedRevision expected) {
        List<Race.Outcome<AppendResult>> winners = outcomes.stream().filter(Race.Outcome::succeeded).toList();
        assertThat(winners).as("appends that succeeded").hasSize(1);
        assertThat(winners.get(0).value().revision()).isEqualTo(revision);
        assertThat(winners.get(0).value().duplicate()).isFalse();
        List<Throwable> errors = outcomes.stream().filter(o -> !o.succeeded()).map(Race.Outcome::error)
                .collect(Collectors.toList());
        assertThat(errors).as("the losers' errors").hasSize(RACERS - 1).allSatisfy(e -> {
            assertThat(e).isInstanceOf(WrongExpectedRevision.class);
            assertConflict((WrongExpectedRevision) e, stream, expected, revision);
        });
        assertThat(store.revision(stream)).isEqualTo(revision);
    }
}
