package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InProcessFastChannelTest {

    @Test
    void a_stuck_listener_never_blocks_the_publisher_and_the_overflow_is_counted_as_dropped() throws Exception {
        InProcessFastChannel channel = new InProcessFastChannel(4);
        CountDownLatch release = new CountDownLatch(1);
        List<RecordedCommit> seen = new CopyOnWriteArrayList<>();
        try (var subscription = channel.listen(c -> {
            await(release);
            seen.add(c);
        })) {
            long started = System.nanoTime();
            for (int i = 1; i <= 100; i++) {
                channel.publish(commit(i));
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            release.countDown();

            assertThat(tookMillis).as("publishing 100 commits to a stuck listener").isLessThan(1_000);
            assertThat(channel.published()).isEqualTo(100);
            // one commit in the listener's hands, four buffered: the rest were dropped
            assertThat(channel.dropped()).isBetween(95L - 1, 96L);
            Eventually.within(Duration.ofSeconds(5), "buffered commits delivered",
                    () -> seen.size() == 100 - channel.dropped());
        }
    }

    @Test
    void commits_reach_each_listener_in_publish_order() {
        InProcessFastChannel channel = new InProcessFastChannel();
        List<Long> first = new CopyOnWriteArrayList<>();
        List<Long> second = new CopyOnWriteArrayList<>();
        try (var a = channel.listen(c -> first.add(c.revision()));
             var b = channel.listen(c -> second.add(c.revision()))) {
            for (int i = 1; i <= 50; i++) {
                channel.publish(commit(i));
            }
            Eventually.within(Duration.ofSeconds(5), "all delivered", () -> first.size() == 50 && second.size() == 50);
        }
        assertThat(first).isSorted().hasSize(50);
        assertThat(second).isEqualTo(first);
        assertThat(channel.dropped()).isZero();
    }

    private static RecordedCommit commit(long revision) {
        return RecordedCommit.of(StreamId.of("s-1"), revision, revision,
                Commit.of(UUID.randomUUID(), new EventData("E", "{}")), Instant.now(), OptionalLong.empty());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
