package io.cairn.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InProcessFastChannelTest {

    @Test
    void commits_reach_each_listener_on_the_publishing_thread_in_publish_order() {
        InProcessFastChannel channel = new InProcessFastChannel();
        List<Long> first = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (var a = channel.listen(c -> first.add(c.revision()));
             var b = channel.listen(c -> threads.add(Thread.currentThread()))) {
            for (int i = 1; i <= 50; i++) {
                channel.publish(commit(i));
            }
        }
        assertThat(first).hasSize(50).isSorted();
        assertThat(threads).hasSize(50).containsOnly(Thread.currentThread());
        assertThat(channel.published()).isEqualTo(50);
    }

    @Test
    void a_failing_listener_never_fails_the_publisher_and_the_others_still_get_the_commit() {
        InProcessFastChannel channel = new InProcessFastChannel();
        List<Long> seen = new ArrayList<>();
        try (var a = channel.listen(c -> {
            throw new IllegalStateException("boom");
        }); var b = channel.listen(c -> seen.add(c.revision()))) {
            channel.publish(commit(1));
        }
        assertThat(seen).containsExactly(1L);
        assertThat(channel.failed()).isEqualTo(1);
    }

    @Test
    void a_closed_subscription_gets_nothing_more_even_when_the_same_consumer_listens_twice() {
        InProcessFastChannel channel = new InProcessFastChannel();
        List<Long> seen = new ArrayList<>();
        java.util.function.Consumer<RecordedCommit> consumer = c -> seen.add(c.revision());
        var first = channel.listen(consumer);
        try (var second = channel.listen(consumer)) {
            first.close();
            channel.publish(commit(1));
        }
        channel.publish(commit(2));
        assertThat(seen).containsExactly(1L);
    }

    private static RecordedCommit commit(long revision) {
        return RecordedCommit.of(StreamId.of("s-1"), revision, revision,
                Commit.of(UUID.randomUUID(), new EventData("E", "{}")), Instant.now(), OptionalLong.empty());
    }
}
