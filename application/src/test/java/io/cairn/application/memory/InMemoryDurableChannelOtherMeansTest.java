package io.cairn.application.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-memory durable channel passes over what its listener already has by other means
 * ({@link DurableChannel.Listener#hasThrough}), and delivers everything else as before.
 */
class InMemoryDurableChannelOtherMeansTest {

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDurableChannel channel = new InMemoryDurableChannel(store, 20);

    @Test
    void commits_the_listener_already_has_are_passed_over_and_the_rest_delivered_in_order() throws Exception {
        Recorder listener = new Recorder();
        listener.has = Long.MAX_VALUE; // a gate ahead of everything appended
        Subscription subscription = channel.subscribe(Optional.empty(), listener);
        try {
            append(5);
            awaitTrue(() -> channel.batchesSkipped() >= 1);
            Thread.sleep(200); // every batch of the five taken

            listener.has = 0;
            append(2);
            awaitTrue(() -> listener.positions().size() >= 2);

            assertThat(listener.positions()).containsExactly(6L, 7L);
        } finally {
            subscription.close();
        }
    }

    @Test
    void a_listener_ahead_of_the_channel_is_given_what_lies_beyond_what_it_has() throws Exception {
        append(6);
        Recorder listener = new Recorder();
        listener.has = 3; // has 1-3, not 4-6: the batch is delivered whole (the grace passes), duplicates included
        Subscription subscription = channel.subscribe(Optional.empty(), listener);
        try {
            awaitTrue(() -> listener.positions().size() >= 6);
            assertThat(listener.positions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(channel.batchesSkipped()).isZero();
        } finally {
            subscription.close();
        }
    }

    @Test
    void a_listener_level_with_the_channel_is_given_the_grace_for_a_hint_still_on_its_way() throws Exception {
        Recorder listener = new Recorder();
        listener.has = Long.MAX_VALUE;
        Subscription subscription = channel.subscribe(Optional.empty(), listener);
        try {
            append(3);
            awaitTrue(() -> channel.batchesSkipped() >= 1);
            Thread.sleep(200); // every batch of the three taken
            long skipped = channel.batchesSkipped();

            // the store's signal of commit 4 wins the race with its hint: asked first, the listener has 1-3 (no
            // more than the channel passed over); asked again, the hint has come
            listener.has = 3;
            listener.next = 4;
            append(1);
            awaitTrue(() -> channel.batchesSkipped() > skipped || !listener.positions().isEmpty());
            Thread.sleep(100);

            assertThat(listener.positions()).as("passed over, not delivered again").isEmpty();
            assertThat(listener.asked).as("asked again within the grace").isGreaterThanOrEqualTo(2);
        } finally {
            subscription.close();
        }
    }

    private void append(int commits) {
        for (int i = 0; i < commits; i++) {
            store.append(StreamId.of("order-" + UUID.randomUUID()), ExpectedRevision.NO_STREAM,
                    new Commit(UUID.randomUUID(), List.of(new EventData("Placed", "{}")), Map.of()));
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(2);
        }
    }

    private static final class Recorder implements DurableChannel.Listener {
        final List<RecordedCommit> seen = new CopyOnWriteArrayList<>();
        volatile long has;
        /** When positive, what {@link #hasThrough} says from its second answer on after {@link #has} was set. */
        volatile long next;
        volatile int asked;

        @Override
        public void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
            seen.add(commit);
        }

        @Override
        public long hasThrough() {
            long answer = has;
            if (next > 0) {
                asked++;
                if (asked >= 2) {
                    answer = next;
                }
            }
            return answer;
        }

        List<Long> positions() {
            return seen.stream().map(c -> c.position().getAsLong()).toList();
        }
    }
}
