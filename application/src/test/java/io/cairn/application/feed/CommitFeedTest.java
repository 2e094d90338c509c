package io.cairn.application.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.Eventually;
import io.cairn.application.feed.ScriptedDurableChannel.Delivery;
import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.Subscription;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommitFeedTest {

    private static final Duration WAIT = RecordingSink.WAIT;
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static final int PAGE = 3;

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final FakeReleasedCommits live = new FakeReleasedCommits();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void close() {
        subscriptions.forEach(Subscription::close);
    }

    // --- a store with a global order ---

    @Test
    void live_commits_reach_the_sink_in_release_order_with_their_positions_as_ids() {
        RecordingSink sink = RecordingSink.recording();
        open(feed(store), Optional.empty(), sink);
        List<RecordedCommit> commits = appendAndRelease(5);

        awaitSize(sink, 5);

        assertThat(sink.received()).extracting(RecordingSink.Received::commit).isEqualTo(commits);
        assertThat(sink.positions()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void without_a_resume_point_only_what_is_released_from_now_on_is_sent() {
        appendAndRelease(3);
        RecordingSink sink = RecordingSink.recording();
        open(feed(store), Optional.empty(), sink);

        appendAndRelease(2);

        awaitSize(sink, 2);
        assertThat(sink.positions()).containsExactly(4L, 5L);
    }

    @Test
    void a_resume_reads_history_after_its_position_then_hands_over_to_the_buffered_live_commits_without_gap_or_repeat() {
        append(10); // positions 1-10, released before the subscriber came
        List<RecordedCommit> laggingReleases = store.readAll(9, 2).commits();
        ScriptedLog log = new ScriptedLog(store)
                // the gate is still releasing 9 and 10 when the subscriber starts: they are buffered
                .beforeRead(1, () -> laggingReleases.forEach(live::release))
                // while history is read, 11-13 are written and released
                .beforeRead(2, () -> appendAndRelease(3));
        RecordingSink sink = RecordingSink.recording();

        open(feed(log), Optional.of(Checkpoint.atPosition(4)), sink);
        awaitReached(sink, 13);
        appendAndRelease(1);
        awaitReached(sink, 14);

        assertThat(sink.positions()).isEqualTo(range(5, 14));
        assertThat(log.reads()).as("pages 5-7 and 8-10, then the live buffer").isEqualTo(2);
    }

    @Test
    void live_commits_that_history_already_sent_are_skipped() {
        append(4);
        List<RecordedCommit> all = store.readAll(1, 10).commits();
        // the gate lags: everything history returns is released again after the subscriber read it
        ScriptedLog log = new ScriptedLog(store);
        RecordingSink sink = RecordingSink.recording();
        open(feed(log), Optional.of(Checkpoint.atPosition(0)), sink);
        awaitReached(sink, 4);

        all.forEach(live::release);
        appendAndRelease(2);
        awaitReached(sink, 6);

        assertThat(sink.positions()).isEqualTo(range(1, 6));
    }

    @Test
    void a_live_commit_beyond_the_end_of_history_makes_the_subscriber_read_history_again_up_to_it() {
        append(6);
        ScriptedLog log = new ScriptedLog(store);
        log.showUpTo(3); // the log lags behind the gate
        // reads: 2-3, the end of history, the gap 4-5 not shown yet, then the log catches up
        log.beforeRead(4, () -> log.showUpTo(6));
        RecordingSink sink = RecordingSink.recording();
        open(feed(log), Optional.of(Checkpoint.atPosition(1)), sink);
        awaitReached(sink, 3);

        live.release(store.readAll(6, 1).commits().get(0));

        awaitReached(sink, 6);
        assertThat(sink.positions()).isEqualTo(range(2, 6));
        assertThat(log.reads()).isEqualTo(4);
    }

    @Test
    void a_gap_the_log_never_fills_ends_the_subscription_as_unavailable_instead_of_skipping_it() {
        append(5);
        ScriptedLog log = new ScriptedLog(store);
        log.showUpTo(2);
        RecordingSink sink = RecordingSink.recording();
        CommitFeed feed = new CommitFeed(live, Optional.of(log), unusedDurableChannel(), 100, PAGE,
                Duration.ofMillis(200));
        open(feed, Optional.of(Checkpoint.atPosition(0)), sink);
        awaitReached(sink, 2);

        live.release(store.readAll(5, 1).commits().get(0));

        Eventually.within(WAIT, "ended", () -> sink.end() != null);
        assertThat(sink.end().ending()).isEqualTo(CommitFeed.Ending.UNAVAILABLE);
        assertThat(sink.end().detail()).contains("position 3");
        assertThat(sink.positions()).containsExactly(1L, 2L);
        Eventually.within(WAIT, "the live source released", () -> live.listeners() == 0);
    }

    @Test
    void zero_replays_the_whole_log_and_then_follows_live() {
        append(7);
        RecordingSink sink = RecordingSink.recording();
        open(feed(store), Optional.of(Checkpoint.atPosition(0)), sink);
        awaitReached(sink, 7);

        appendAndRelease(1);

        awaitReached(sink, 8);
        assertThat(sink.positions()).isEqualTo(range(1, 8));
    }

    @Test
    void a_resume_point_that_is_not_a_position_is_refused_before_anything_starts() {
        CommitFeed feed = feed(store);

        assertThatThrownBy(() -> feed.open(Optional.of(new Checkpoint("abc")), HEARTBEAT, RecordingSink.recording()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc' is not a global position");
        assertThatThrownBy(() -> feed.open(Optional.of(new Checkpoint("-1")), HEARTBEAT, RecordingSink.recording()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'-1' is not a global position");
        assertThat(live.listeners()).isZero();
    }

    @Test
    void a_subscriber_that_falls_behind_is_ended_and_never_holds_up_the_live_source() throws Exception {
        List<RecordedCommit> commits = append(50);
        RecordingSink sink = RecordingSink.held();
        CommitFeed feed = new CommitFeed(live, Optional.of(store), unusedDurableChannel(), 8, PAGE,
                CommitFeed.GAP_PATIENCE);
        open(feed, Optional.empty(), sink);
        live.release(commits.get(0));
        sink.awaitHolding(); // the subscriber's thread is stuck in its sink

        AtomicBoolean releasedAll = new AtomicBoolean();
        Thread gate = new Thread(() -> {
            commits.subList(1, commits.size()).forEach(live::release);
            releasedAll.set(true);
        });
        gate.start();
        Eventually.within(WAIT, "the gate released everything while the subscriber was stuck", releasedAll::get);
        sink.letGo();

        Eventually.within(WAIT, "ended", () -> sink.end() != null);
        assertThat(sink.end().ending()).isEqualTo(CommitFeed.Ending.FELL_BEHIND);
        assertThat(sink.end().detail()).contains("more than 8 commits");
        assertThat(sink.positions()).as("what came before the end is in order").containsExactly(1L);
        Eventually.within(WAIT, "the live source released", () -> live.listeners() == 0);
        assertThat(sink.endings()).isEqualTo(1);
    }

    @Test
    void a_subscriber_resumes_after_falling_behind_from_the_last_id_it_received() throws Exception {
        List<RecordedCommit> commits = append(30);
        RecordingSink first = RecordingSink.held();
        CommitFeed feed = new CommitFeed(live, Optional.of(store), unusedDurableChannel(), 4, PAGE,
                CommitFeed.GAP_PATIENCE);
        open(feed, Optional.empty(), first);
        live.release(commits.get(0));
        first.awaitHolding();
        commits.subList(1, commits.size()).forEach(live::release);
        first.letGo();
        Eventually.within(WAIT, "ended", () -> first.end() != null);
        long lastId = first.positions().get(first.size() - 1);

        RecordingSink second = RecordingSink.recording();
        open(feed, Optional.of(Checkpoint.atPosition(lastId)), second);

        awaitReached(second, 30);
        assertThat(second.positions()).isEqualTo(range(lastId + 1, 30));
    }

    @Test
    void closing_a_subscription_stops_following_the_live_source_and_calls_the_sink_no_more() {
        RecordingSink sink = RecordingSink.recording();
        Subscription subscription = feed(store).open(Optional.empty(), HEARTBEAT, sink);
        appendAndRelease(1);
        awaitSize(sink, 1);

        subscription.close();
        subscription.close();
        appendAndRelease(1);

        assertThat(live.listeners()).isZero();
        assertThat(sink.size()).isEqualTo(1);
        assertThat(sink.end()).as("closed by its subscriber: nothing to tell").isNull();
    }

    @Test
    void a_store_outage_during_the_history_read_ends_the_subscription_as_unavailable() {
        append(3);
        ScriptedLog log = new ScriptedLog(store);
        log.down();
        RecordingSink sink = RecordingSink.recording();

        open(feed(log), Optional.of(Checkpoint.atPosition(0)), sink);

        Eventually.within(WAIT, "ended", () -> sink.end() != null);
        assertThat(sink.end().ending()).isEqualTo(CommitFeed.Ending.UNAVAILABLE);
        assertThat(sink.end().detail()).contains("cannot be reached");
        assertThat(sink.size()).isZero();
        Eventually.within(WAIT, "the live source released", () -> live.listeners() == 0);
    }

    @Test
    void heartbeats_come_while_there_is_nothing_to_send() {
        RecordingSink sink = RecordingSink.recording();
        subscriptions.add(feed(store).open(Optional.empty(), Duration.ofMillis(10), sink));

        Eventually.within(WAIT, "three heartbeats", () -> sink.heartbeats() >= 3);
    }

    @Test
    void a_sink_that_throws_ends_its_subscription_without_an_ending() {
        RecordingSink sink = RecordingSink.failing();
        open(feed(store), Optional.empty(), sink);

        appendAndRelease(1);

        Eventually.within(WAIT, "the live source released", () -> live.listeners() == 0);
        assertThat(sink.end()).isNull();
    }

    @Test
    void a_reader_that_is_gone_is_found_out_by_a_heartbeat_when_nothing_is_released() {
        RecordingSink sink = RecordingSink.failing();
        subscriptions.add(feed(store).open(Optional.empty(), Duration.ofMillis(10), sink));

        Eventually.within(WAIT, "the live source released", () -> live.listeners() == 0);
    }

    @Test
    void subscribers_resuming_anywhere_while_commits_are_written_and_released_each_get_every_later_position_once()
            throws Exception {
        int total = 1_500;
        // the gate: follows the store's durable channel and releases each commit once, in order
        Subscription gate = new InMemoryDurableChannel(store, 10).subscribe(Optional.empty(),
                (commit, checkpoint) -> live.release(commit, checkpoint));
        subscriptions.add(gate);
        CommitFeed feed = new CommitFeed(live, Optional.of(store), unusedDurableChannel(), 100_000, 7,
                CommitFeed.GAP_PATIENCE);
        Thread writer = new Thread(() -> append(total));
        writer.start();

        Random random = new Random(42);
        List<Long> resumedAfter = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long written = store.readAll(1, 1).commits().isEmpty() ? 0 : lastPosition();
            long after = written == 0 ? 0 : random.nextInt((int) written + 1);
            RecordingSink sink = RecordingSink.recording();
            open(feed, Optional.of(Checkpoint.atPosition(after)), sink);
            resumedAfter.add(after);
            sinks.add(sink);
            Thread.sleep(random.nextInt(5));
        }
        writer.join();

        for (int i = 0; i < sinks.size(); i++) {
            RecordingSink sink = sinks.get(i);
            awaitReached(sink, total);
            assertThat(sink.positions()).as("subscriber resumed after %d", resumedAfter.get(i))
                    .isEqualTo(range(resumedAfter.get(i) + 1, total));
        }
    }

    // --- a store without a global order ---

    @Test
    void without_a_global_order_live_ids_are_the_checkpoints_the_live_source_gives_even_none() {
        CommitFeed feed = new CommitFeed(live, Optional.empty(), unusedDurableChannel());
        RecordingSink sink = RecordingSink.recording();
        open(feed, Optional.empty(), sink);
        RecordedCommit first = unordered("order-1", 1);
        RecordedCommit second = unordered("order-2", 1);

        live.release(first, null);
        live.release(second, new Checkpoint("shard-a:17"));

        awaitSize(sink, 2);
        assertThat(sink.received()).extracting(RecordingSink.Received::commit).containsExactly(first, second);
        assertThat(sink.ids()).containsExactly(null, "shard-a:17");
    }

    @Test
    void without_a_global_order_a_resume_follows_the_durable_channel_and_drops_revisions_already_sent_per_stream() {
        RecordedCommit a1 = unordered("a", 1);
        RecordedCommit a2 = unordered("a", 2);
        RecordedCommit a3 = unordered("a", 3);
        RecordedCommit b1 = unordered("b", 1);
        RecordedCommit b2 = unordered("b", 2);
        ScriptedDurableChannel durable = new ScriptedDurableChannel(List.of(
                new Delivery(a1, new Checkpoint("c1")),
                new Delivery(a2, new Checkpoint("c2")),
                new Delivery(b1, new Checkpoint("c3")),
                new Delivery(a2, new Checkpoint("c4")), // repeated
                new Delivery(a1, new Checkpoint("c5")), // repeated, and behind a2
                new Delivery(b2, new Checkpoint("c6")),
                new Delivery(b1, new Checkpoint("c7")), // repeated
                new Delivery(a3, new Checkpoint("c8"))));
        CommitFeed feed = new CommitFeed(live, Optional.empty(), durable);
        RecordingSink sink = RecordingSink.recording();

        open(feed, Optional.of(new Checkpoint("c0")), sink);

        Eventually.within(WAIT, "the script delivered", () -> durable.delivered() == 8);
        awaitSize(sink, 5);
        live.release(unordered("c", 1), new Checkpoint("live")); // the subscriber is not on the live source
        assertThat(sink.received()).extracting(RecordingSink.Received::commit).containsExactly(a1, a2, b1, b2, a3);
        assertThat(sink.ids()).containsExactly("c1", "c2", "c3", "c6", "c8");
        assertThat(durable.subscribedAfter()).containsExactly(Optional.of(new Checkpoint("c0")));
        assertThat(live.listeners()).isZero();
    }

    @Test
    void without_a_global_order_a_checkpoint_the_durable_channel_refuses_is_refused_before_anything_starts() {
        ScriptedDurableChannel durable = new ScriptedDurableChannel(List.of());
        CommitFeed feed = new CommitFeed(live, Optional.empty(), durable);

        assertThatThrownBy(() -> feed.open(Optional.of(new Checkpoint("refused")), HEARTBEAT,
                RecordingSink.recording())).isInstanceOf(IllegalArgumentException.class);
        assertThat(durable.openSubscriptions()).isZero();
        assertThat(live.listeners()).isZero();
    }

    @Test
    void without_a_global_order_a_slow_resuming_subscriber_holds_up_only_its_durable_subscription() throws Exception {
        List<Delivery> script = new ArrayList<>();
        for (int revision = 1; revision <= 20; revision++) {
            script.add(new Delivery(unordered("a", revision), new Checkpoint("c" + revision)));
        }
        ScriptedDurableChannel durable = new ScriptedDurableChannel(script);
        CommitFeed feed = new CommitFeed(live, Optional.empty(), durable, 4);
        RecordingSink sink = RecordingSink.held();
        Subscription subscription = feed.open(Optional.of(new Checkpoint("c0")), HEARTBEAT, sink);
        subscriptions.add(subscription);
        sink.awaitHolding();
        Eventually.within(WAIT, "the channel waits for room", () -> durable.delivered() >= 5);

        sink.letGo();

        awaitSize(sink, 20);
        assertThat(sink.end()).isNull();
        subscription.close();
        assertThat(durable.openSubscriptions()).isZero();
    }

    // --- fixtures ---

    private CommitFeed feed(GlobalLog log) {
        return new CommitFeed(live, Optional.of(log), unusedDurableChannel(), CommitFeed.DEFAULT_MAX_BEHIND, PAGE,
                CommitFeed.GAP_PATIENCE);
    }

    private void open(CommitFeed feed, Optional<Checkpoint> after, RecordingSink sink) {
        subscriptions.add(feed.open(after, HEARTBEAT, sink));
    }

    /** On a store with a global order the feed never resumes from the durable channel. */
    private static DurableChannel unusedDurableChannel() {
        return (after, listener) -> {
            throw new AssertionError("the durable channel was subscribed");
        };
    }

    private List<RecordedCommit> append(int count) {
        List<RecordedCommit> commits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commits.add(store.append(StreamId.of("order-" + UUID.randomUUID()), ExpectedRevision.NO_STREAM,
                    Commit.of(UUID.randomUUID(), new EventData("Noted", "{\"n\":" + i + "}"))).commit());
        }
        return commits;
    }

    private List<RecordedCommit> appendAndRelease(int count) {
        List<RecordedCommit> commits = append(count);
        commits.forEach(live::release);
        return commits;
    }

    private long lastPosition() {
        long from = 1;
        long last = 0;
        while (true) {
            List<RecordedCommit> page = store.readAll(from, GlobalLog.MAX_SLICE).commits();
            if (page.isEmpty()) {
                return last;
            }
            last = page.get(page.size() - 1).position().getAsLong();
            from = last + 1;
        }
    }

    private static RecordedCommit unordered(String stream, long revision) {
        return RecordedCommit.of(StreamId.of(stream), revision, revision,
                Commit.of(UUID.randomUUID(), new EventData("Noted", "{}")), Instant.now(), OptionalLong.empty());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    private static void awaitSize(RecordingSink sink, int size) {
        Eventually.within(WAIT, size + " commits received", () -> sink.size() >= size);
    }

    private static void awaitReached(RecordingSink sink, long position) {
        Eventually.within(WAIT, "position " + position + " received", () -> sink.reached(position));
    }
}
