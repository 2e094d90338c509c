package io.cairn.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.CachingViewStore;
import io.cairn.application.InProcessFastChannel;
import io.cairn.application.Streams;
import io.cairn.application.feed.CommitFeed;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.Subscription;
import io.cairn.application.port.TransactionalViewStore;
import io.cairn.application.projection.Projection;
import io.cairn.application.projection.RevisionOnly;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live feed on every store, with the real projector: a {@link DisruptorProjector} running the all-commits
 * projection ({@link Projection#allCommits}), followed by a {@link CommitFeed}. Commits of raw streams and of an
 * aggregate's category alike reach the feed, once each and in revision order per stream — also on DynamoDB, whose
 * gates order per stream — and a restarted projector resumes from its checkpoint with no gap.
 */
class AllCommitsFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NAME = "live-feed";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final InProcessFastChannel fast = new InProcessFastChannel();
    private ProjectorStores stores;
    /** The raw stream API, as {@code POST /streams/order-…} uses it. */
    private Streams raw;
    /** Appends to {@code account-…} as the accounts' command handler does: store, then the fast channel. */
    private Streams accounts;

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void commits_of_raw_streams_and_of_an_aggregate_reach_the_feed_once_each_in_revision_order(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        Projection<Void, RevisionOnly> projection = projection();
        Recording feed = subscribe(projection);
        start(projection);

        List<RecordedCommit> appended = appendRound(3, 4);

        feed.awaitAll(appended);
        assertOncePerStreamInOrder(feed.commits, appended);
    }

    @ParameterizedTest
    @EnumSource(ProjectorStores.Kind.class)
    void a_restarted_projector_resumes_from_its_checkpoint_and_the_feed_misses_nothing_and_repeats_nothing(
            ProjectorStores.Kind kind) throws Exception {
        open(kind);
        Projection<Void, RevisionOnly> first = projection();
        Recording before = subscribe(first);
        DisruptorProjector running = start(first);
        List<RecordedCommit> beforeStop = appendRound(2, 3);
        before.awaitAll(beforeStop);
        running.stop();
        assertThat(stores.checkpoints().load(NAME)).as("checkpoint saved when the ring drained").isPresent();

        List<RecordedCommit> whileStopped = appendRound(2, 2); // no projector runs: only the durable channel has them

        Projection<Void, RevisionOnly> second = projection(); // a new process: a cold cache over the same stores
        Recording after = subscribe(second);
        start(second);
        List<RecordedCommit> afterStart = appendRound(2, 2);

        List<RecordedCommit> sinceRestart = new ArrayList<>(whileStopped);
        sinceRestart.addAll(afterStart);
        after.awaitAll(sinceRestart);
        Thread.sleep(300); // time for a wrongly repeated commit to show
        List<RecordedCommit> all = new ArrayList<>(beforeStop);
        all.addAll(sinceRestart);
        List<RecordedCommit> seen = new ArrayList<>(before.commits);
        seen.addAll(after.commits);
        assertOncePerStreamInOrder(seen, all);
        assertThat(after.commits).as("the restart repeats nothing the first run released")
                .noneMatch(commit -> beforeStop.stream().anyMatch(c -> c.commitId().equals(commit.commitId())));
    }

    // ---- fixtures ----

    private void open(ProjectorStores.Kind kind) {
        stores = kind.open();
        toClose.add(stores);
        raw = new Streams(stores.events(), fast, Set.of("account"));
        accounts = new Streams(stores.events(), fast, Set.of());
    }

    private Projection<Void, RevisionOnly> projection() {
        CachingViewStore<RevisionOnly> revisions = CachingViewStore.over(stores.revisions(), 10_000);
        CheckpointStore checkpoints = revisions instanceof TransactionalViewStore<RevisionOnly> transactional
                ? transactional.checkpoints() : stores.checkpoints();
        return Projection.allCommits(NAME, stores.events(), revisions, checkpoints)
                .globalLog(stores.log())
                .gapWait(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(20))
                .build();
    }

    private DisruptorProjector start(Projection<Void, RevisionOnly> projection) {
        DisruptorProjector projector = DisruptorProjector.builder(projection, stores.durable(), fast)
                .ringSize(1_024).shards(2).build();
        projector.start();
        toClose.add(projector::stop);
        return projector;
    }

    private Recording subscribe(Projection<Void, RevisionOnly> projection) {
        CommitFeed feed = new CommitFeed(projection, stores.log(), stores.durable());
        Recording recording = new Recording();
        Subscription subscription = feed.open(Optional.empty(), Duration.ofSeconds(1), recording);
        toClose.add(subscription::close);
        return recording;
    }

    /** {@code streams} new order streams and as many accounts, {@code each} commits per stream, interleaved. */
    private List<RecordedCommit> appendRound(int streams, int each) {
        List<StreamId> ids = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            ids.add(StreamId.of("order-" + UUID.randomUUID()));
            ids.add(StreamId.of("account-" + UUID.randomUUID()));
        }
        List<RecordedCommit> appended = new ArrayList<>();
        for (int n = 0; n < each; n++) {
            for (StreamId id : ids) {
                Streams api = id.category().equals("account") ? accounts : raw;
                appended.add(api.append(id, ExpectedRevision.ANY,
                        Commit.of(UUID.randomUUID(), new EventData("Happened", "{\"n\":" + n + "}"))).commit());
            }
        }
        return appended;
    }

    /** Every appended commit was seen exactly once, and each stream's commits in revision order. */
    private static void assertOncePerStreamInOrder(List<RecordedCommit> seen, List<RecordedCommit> appended) {
        assertThat(seen.stream().map(RecordedCommit::commitId))
                .as("each commit once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(appended.stream().map(RecordedCommit::commitId).toList());
        Map<StreamId, List<Long>> revisions = new LinkedHashMap<>();
        for (RecordedCommit commit : seen) {
            revisions.computeIfAbsent(commit.stream(), s -> new ArrayList<>()).add(commit.revision());
        }
        revisions.forEach((stream, list) -> assertThat(list).as("revisions of %s", stream).isSorted());
        assertThat(revisions.keySet()).anyMatch(s -> s.category().equals("order"))
                .anyMatch(s -> s.category().equals("account"));
    }

    /** A feed subscriber that keeps what it is sent. */
    private static final class Recording implements CommitFeed.Sink {
        final List<RecordedCommit> commits = new CopyOnWriteArrayList<>();
        final List<String> endings = new CopyOnWriteArrayList<>();

        @Override
        public void commit(RecordedCommit commit, Checkpoint id) {
            commits.add(commit);
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void ended(CommitFeed.Ending ending, String detail) {
            endings.add(ending + ": " + detail);
        }

        void awaitAll(List<RecordedCommit> expected) {
            Set<UUID> wanted = new java.util.HashSet<>();
            expected.forEach(commit -> wanted.add(commit.commitId()));
            await(expected.size() + " commits on the feed", () -> {
                assertThat(endings).as("the subscription ended").isEmpty();
                return commits.stream().map(RecordedCommit::commitId).filter(wanted::contains).count()
                        >= wanted.size();
            });
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
