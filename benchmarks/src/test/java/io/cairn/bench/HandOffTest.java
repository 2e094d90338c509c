package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.bench.HandOff.Consumed;
import io.cairn.bench.HandOff.Hint;
import io.cairn.bench.RingCommand.Row;
import io.cairn.bench.RingHandOffBenchmark.Kind;
import io.cairn.bench.RingHandOffBenchmark.WhenFull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the ring benchmark measures, without JMH: its consumers take exactly what the publishers handed over. A small
 * capacity makes the full paths (waiting, dropping) likely; nothing here depends on timing.
 */
class HandOffTest {

    private static final int PUBLISHERS = 2;
    private static final int HINTS_EACH = 50_000;
    private static final Duration STOP = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Kind.class)
    void publishers_that_wait_for_room_get_every_hint_to_the_consumer(Kind kind) throws Exception {
        HandOff handOff = kind.start(64);

        publishConcurrently(hint -> {
            handOff.put(hint);
            return true;
        });
        Consumed consumed = handOff.stop(STOP);

        assertThat(consumed.count()).isEqualTo((long) PUBLISHERS * HINTS_EACH);
        assertThat(consumed.revisionSum()).isEqualTo(PUBLISHERS * revisionSum(HINTS_EACH));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void publishers_that_drop_when_full_get_exactly_the_accepted_hints_to_the_consumer(Kind kind) throws Exception {
        HandOff handOff = kind.start(64);
        LongAdder acceptedRevisions = new LongAdder();

        long accepted = publishConcurrently(hint -> {
            boolean taken = handOff.offer(hint);
            if (taken) {
                acceptedRevisions.add(hint.revision());
            }
            return taken;
        });
        Consumed consumed = handOff.stop(STOP);

        assertThat(accepted).isPositive().isLessThanOrEqualTo((long) PUBLISHERS * HINTS_EACH);
        assertThat(consumed.count()).isEqualTo(accepted);
        assertThat(consumed.revisionSum()).isEqualTo(acceptedRevisions.sum());
    }

    @Test
    void the_table_compares_each_ring_with_the_queue_in_the_same_mode_and_publisher_count() {
        List<Row> rows = List.of(
                new Row(Kind.ARRAY_BLOCKING_QUEUE, WhenFull.DROP, 1, 1_000_000, 10_000, 3_000_000),
                new Row(Kind.RING_LITE_TIMEOUT, WhenFull.DROP, 1, 4_000_000, 20_000, 0),
                new Row(Kind.RING_LITE_TIMEOUT, WhenFull.WAIT, 2, 2_000_000, 20_000, 0));

        String table = RingCommand.table(rows);

        assertThat(table.lines()).hasSize(2 + rows.size());
        assertThat(table).contains("| drop | 1 | ArrayBlockingQueue | 1,000,000 | 10,000 | 3,000,000 | 75% | 1.00× |")
                .contains("| drop | 1 | ring, lite timeout blocking | 4,000,000 | 20,000 | 0 | 0% | 4.00× |")
                .contains("| wait | 2 | ring, lite timeout blocking | 2,000,000 | 20,000 | 0 | 0% | n/a |");
    }

    @FunctionalInterface
    private interface Publish {
        boolean hint(Hint hint) throws InterruptedException;
    }

    /** Each publisher hands over revisions 1 to {@value #HINTS_EACH}; returns how many were taken. */
    private static long publishConcurrently(Publish publish) throws Exception {
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<Future<Long>> taken = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                String stream = "account-" + p;
                taken.add(publishers.submit(() -> {
                    long count = 0;
                    for (long revision = 1; revision <= HINTS_EACH; revision++) {
                        if (publish.hint(new Hint(stream, revision))) {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            long total = 0;
            for (Future<Long> future : taken) {
                total += future.get();
            }
            return total;
        } finally {
            publishers.shutdown();
        }
    }

    private static long revisionSum(long n) {
        return n * (n + 1) / 2;
    }
}
