package io.cairn.contracts;

import static io.cairn.contracts.JsonAssertions.assertSameEvents;
import static io.cairn.contracts.TestCommits.anyCommit;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Subscription;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DurableChannel} does: delivers every stored commit at least once, each with a checkpoint that
 * resumes exactly after it, in revision order per stream (unless {@link #deliversInRevisionOrderPerStream()} says
 * otherwise); retries a delivery whose listener throws instead of
 * skipping it; stops when its subscription is closed.
 *
 * <p>To use it, extend it and implement {@link #newBackend()} to return an empty event store and the durable
 * channel that follows it, fresh for each test. The suite only looks at commits of the streams it appended to,
 * so a channel may also carry others. Override {@link #deliveryTimeout()} when the channel is slow to notice
 * commits (DynamoDB Streams polls).
 */
public abstract class DurableChannelContract {

    /** An event store and the durable channel that follows it, from one backend. */
    public record Backend(EventStore store, DurableChannel channel) {
        public Backend {
            requireNonNull(store, "store must not be null");
            requireNonNull(channel, "channel must not be null");
        }
    }

    private final Set<StreamId> streams = ConcurrentHashMap.newKeySet();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private EventStore store;
    private DurableChannel channel;

    /** An empty store and its channel; called once before each test. */
    protected abstract Backend newBackend();

    /** How long to wait for an expected delivery before failing. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(5);
    }

    /**
     * Whether the channel delivers each stream's commits in revision order. A channel over a store that orders
     * changes only per item, like DynamoDB Streams, answers false: its commits of one stream may arrive in any
     * order (the projector's per-stream gate puts them right), and the suite then checks that each arrives, at least
     * once, instead.
     */
    protected boolean deliversInRevisionOrderPerStream() {
        return true;
    }

    @BeforeEach
    final void createBackend() {
        Backend backend = newBackend();
        store = backend.store();
        channel = backend.channel();
    }

    @AfterEach
    final void closeSubscriptions() {
        subscriptions.forEach(Subscription::close);
    }

    @Test
    void a_subscription_from_the_beginning_delivers_commits_appended_before_and_after_it() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        List<RecordedCommit> appended = new ArrayList<>(List.of(append(a), append(b), append(a)));
        Recorder recorder = new Recorder();
        subscribe(Optional.empty(), recorder);
        appended.addAll(List.of(append(b), append(a), append(b)));

        List<Delivery> deliveries = recorder.awaitDelivered(ids(appended));

        assertThat(deliveries).allSatisfy(d -> assertThat(d.checkpoint()).as("checkpoint").isNotNull());
        for (RecordedCommit expected : appended) {
            RecordedCommit delivered = deliveries.stream().map(Delivery::commit)
                    .filter(c -> c.commitId().equals(expected.commitId())).findFirst().orElseThrow();
            assertThat(delivered.stream()).isEqualTo(expected.stream());
            assertThat(delivered.revision()).isEqualTo(expected.revision());
            assertThat(delivered.firstEventNumber()).isEqualTo(expected.firstEventNumber());
            assertThat(delivered.metadata()).isEqualTo(expected.metadata());
            assertSameEvents(delivered.events(), expected.events());
        }
    }

    @Test
    void resuming_from_a_delivered_checkpoint_delivers_exactly_the_commits_after_it() {
        StreamId a = aNewStream();
        StreamId b = aNewStream();
        StreamId c = aNewStream();
        List<RecordedCommit> appended = new ArrayList<>(
                List.of(append(a), append(b), append(c), append(a), append(b), append(c)));
        Recorder first = new Recorder();
        Subscription subscription = subscribe(Optional.empty(), first);
        List<Delivery> delivered = first.awaitDelivered(ids(appended));
        subscription.close();

        Delivery resumeAt = delivered.get(2);
        Set<UUID> covered = ids(delivered.subList(0, 3).stream().map(Delivery::commit).toList());
        appended.addAll(List.of(append(a), append(aNewStream())));
        Set<UUID> expected = new LinkedHashSet<>(ids(appended));
        expected.removeAll(covered);
        Recorder second = new Recorder();
        subscribe(Optional.of(resumeAt.checkpoint()), second);
        List<Delivery> redelivered = second.awaitDelivered(expected);

        Set<UUID> redeliveredIds = ids(redelivered.stream().map(Delivery::commit).toList());
        assertThat(redeliveredIds).as("commits delivered after resuming")
                .doesNotContainAnyElementsOf(covered)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void resuming_from_the_last_checkpoint_delivers_only_the_commits_stored_since() {
        StreamId a = aNewStream();
        List<RecordedCommit> old = List.of(append(a), append(aNewStream()), append(a));
        Recorder first = new Recorder();
        Subscription subscription = subscribe(Optional.empty(), first);
        List<Delivery> delivered = first.awaitDelivered(ids(old));
        subscription.close();

        List<RecordedCommit> fresh = List.of(append(a), append(aNewStream()));
        Recorder second = new Recorder();
        subscribe(Optional.of(delivered.get(delivered.size() - 1).checkpoint()), second);
        List<Delivery> redelivered = second.awaitDelivered(ids(fresh));

        assertThat(ids(redelivered.stream().map(Delivery::commit).toList())).as("commits delivered after resuming")
                .containsExactlyInAnyOrderElementsOf(ids(fresh));
    }

    @Test
    void the_commits_of_a_stream_arrive_in_revision_order() {
        List<StreamId> ours = List.of(aNewStream(), aNewStream(), aNewStream());
        List<RecordedCommit> appended = new ArrayList<>();
        for (StreamId stream : ours) {
            appended.add(append(stream));
        }
        Recorder recorder = new Recorder();
        subscribe(Optional.empty(), recorder);
        for (int round = 0; round < 4; round++) {
            for (StreamId stream : ours) {
                appended.add(append(stream));
            }
        }

        List<Delivery> deliveries = recorder.awaitDelivered(ids(appended));

        for (StreamId stream : ours) {
            List<Long> revisions = deliveries.stream().map(Delivery::commit).filter(c -> c.stream().equals(stream))
                    .map(RecordedCommit::revision).toList();
            if (deliversInRevisionOrderPerStream()) {
                assertThat(revisions).as("revisions of %s as delivered", stream).isSorted();
                assertThat(revisions.stream().distinct()).containsExactly(1L, 2L, 3L, 4L, 5L);
            } else {
                assertThat(revisions.stream().distinct()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
            }
        }
    }

    @Test
    void a_commit_whose_listener_throws_is_delivered_again_and_nothing_is_skipped() {
        StreamId stream = aNewStream();
        List<RecordedCommit> appended = List.of(append(stream), append(stream), append(stream));
        UUID failing = appended.get(1).commitId();
        Recorder recorder = new Recorder().failingOnceOn(failing);
        subscribe(Optional.empty(), recorder);

        recorder.awaitDelivered(ids(appended));

        List<Delivery> attempts = recorder.attempts();
        List<Delivery> ofFailing = attempts.stream().filter(d -> d.commit().commitId().equals(failing)).toList();
        assertThat(ofFailing).as("deliveries of the commit whose listener threw").hasSizeGreaterThanOrEqualTo(2);
        assertThat(ofFailing.get(0).failed()).isTrue();
        if (deliversInRevisionOrderPerStream()) {
            assertThat(attempts).extracting(d -> d.commit().revision()).as("revisions as attempted").isSorted();
            assertThat(recorder.delivered().stream().map(d -> d.commit().revision()).distinct())
                    .containsExactly(1L, 2L, 3L);
        } else {
            assertThat(recorder.delivered().stream().map(d -> d.commit().revision()).distinct())
                    .containsExactlyInAnyOrder(1L, 2L, 3L);
        }
    }

    @Test
    void a_closed_subscription_delivers_nothing_more() {
        StreamId stream = aNewStream();
        RecordedCommit before = append(stream);
        Recorder first = new Recorder();
        Subscription subscription = subscribe(Optional.empty(), first);
        List<Delivery> delivered = first.awaitDelivered(Set.of(before.commitId()));

        subscription.close();
        first.markClosed();
        subscription.close();
        RecordedCommit after = append(stream);
        // a second subscription receiving the new commit shows the channel has had every chance to deliver it
        Recorder second = new Recorder();
        subscribe(Optional.of(delivered.get(delivered.size() - 1).checkpoint()), second);
        second.awaitDelivered(Set.of(after.commitId()));

        assertThat(first.callsAfterClose()).as("calls to the listener after close returned").isZero();
        assertThat(ids(first.attempts().stream().map(Delivery::commit).toList())).doesNotContain(after.commitId());
    }

    @Test
    void a_listener_is_called_by_one_thread_at_a_time() {
        List<StreamId> ours = List.of(aNewStream(), aNewStream(), aNewStream(), aNewStream());
        List<RecordedCommit> appended = new ArrayList<>();
        for (StreamId stream : ours) {
            appended.add(append(stream));
            appended.add(append(stream));
        }
        Recorder recorder = new Recorder().dwelling(Duration.ofMillis(1));
        subscribe(Optional.empty(), recorder);
        for (int round = 0; round < 3; round++) {
            for (StreamId stream : ours) {
                appended.add(append(stream));
            }
        }

        recorder.awaitDelivered(ids(appended));

        assertThat(recorder.mostCallsAtOnce()).as("listener calls in progress at once").isEqualTo(1);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private StreamId aNewStream() {
        StreamId stream = TestStreams.aNewStream();
        streams.add(stream);
        return stream;
    }

    private RecordedCommit append(StreamId stream) {
        return store.append(stream, ExpectedRevision.ANY, anyCommit()).commit();
    }

    private Subscription subscribe(Optional<Checkpoint> after, Recorder recorder) {
        Subscription subscription = channel.subscribe(after, recorder);
        subscriptions.add(subscription);
        return subscription;
    }

    private static Set<UUID> ids(Collection<RecordedCommit> commits) {
        return commits.stream().map(RecordedCommit::commitId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** One call of the listener: what it was given and whether it threw. */
    private record Delivery(RecordedCommit commit, Checkpoint checkpoint, boolean failed) {
    }

    /** Records the calls for this test's streams; optionally throws once on one commit or dwells in each call. */
    private final class Recorder implements DurableChannel.Listener {

        private final List<Delivery> attempts = new ArrayList<>();
        private final Map<UUID, Boolean> failOnce = new ConcurrentHashMap<>();
        private final AtomicInteger inProgress = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final AtomicInteger callsAfterClose = new AtomicInteger();
        private volatile boolean closed;
        private volatile long dwellNanos;

        Recorder failingOnceOn(UUID commitId) {
            failOnce.put(commitId, true);
            return this;
        }

        Recorder dwelling(Duration duration) {
            dwellNanos = duration.toNanos();
            return this;
        }

        void markClosed() {
            closed = true;
        }

        int callsAfterClose() {
            return callsAfterClose.get();
        }

        int mostCallsAtOnce() {
            return mostAtOnce.get();
        }

        @Override
        public void onCommit(RecordedCommit commit, Checkpoint checkpoint) throws Exception {
            if (!streams.contains(commit.stream())) {
                return;
            }
            if (closed) {
                callsAfterClose.incrementAndGet();
            }
            mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
            try {
                if (dwellNanos > 0) {
                    LockSupport.parkNanos(dwellNanos);
                }
                boolean fail = failOnce.remove(commit.commitId()) != null;
                synchronized (this) {
                    attempts.add(new Delivery(commit, checkpoint, fail));
                    notifyAll();
                }
                if (fail) {
                    throw new IllegalStateException("the listener fails once on " + commit.commitId() + ", as asked");
                }
            } finally {
                inProgress.decrementAndGet();
            }
        }

        synchronized List<Delivery> attempts() {
            return List.copyOf(attempts);
        }

        /** The calls that did not throw, in order. */
        synchronized List<Delivery> delivered() {
            return attempts.stream().filter(d -> !d.failed()).toList();
        }

        /** Waits until each of {@code ids} has been delivered without throwing; returns the deliveries so far. */
        synchronized List<Delivery> awaitDelivered(Collection<UUID> ids) {
            long deadline = System.nanoTime() + deliveryTimeout().toNanos();
            while (true) {
                Set<UUID> missing = new LinkedHashSet<>(ids);
                missing.removeAll(ids(delivered().stream().map(Delivery::commit).toList()));
                if (missing.isEmpty()) {
                    return delivered();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("within " + deliveryTimeout() + ", " + missing.size() + " of " + ids.size()
                            + " commits were not delivered: " + missing);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for deliveries", e);
                }
            }
        }
    }
}
