package io.cairn.bootstrap;

import io.cairn.api.AggregateType;
import io.cairn.api.CommandReader;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.domain.Aggregate;
import io.cairn.domain.Decision;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.ProjectedEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A domain for rebuild tests: counters (whose state schema version is the test's to choose) and {@code tally}, a
 * document projection at the test's version that counts every commit ({@code all}) and each counter's. Its handler
 * knows when a rebuilt generation runs it (the projector's thread names a derived generation, {@code tally.g2}), so
 * that a test can slow or hold the rebuild, and count what it applies, without touching the live generation.
 */
final class RebuildDomain implements Domain {

    /** What the rebuilt generations' handlers do, set by the test. */
    static final class Rebuilt {
        static final AtomicInteger applied = new AtomicInteger();
        static volatile int holdAfter = Integer.MAX_VALUE;
        static volatile CountDownLatch release = new CountDownLatch(0);
        static volatile long sleepMillis;

        static void reset() {
            applied.set(0);
            holdAfter = Integer.MAX_VALUE;
            release.countDown();
            release = new CountDownLatch(0);
            sleepMillis = 0;
        }

        static void hold(int after) {
            release = new CountDownLatch(1);
            holdAfter = after;
        }

        static void letGo() {
            holdAfter = Integer.MAX_VALUE;
            release.countDown();
        }

        static void ran() {
            if (!Thread.currentThread().getName().contains(".g")) {
                return; // the live generation
            }
            int n = applied.incrementAndGet();
            try {
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                if (n > holdAfter) {
                    release.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public sealed interface CounterEvent {
        record Added(long amount) implements CounterEvent {
        }
    }

    public record Add(long amount) {
    }

    public record AddBody(Long amount) {
    }

    public record CounterState(long total, long adds) {
    }

    /** {@code commits}: commits applied to it; {@code total}: their amounts; {@code version}: the handler's. */
    public record Tally(long commits, long total, int version) {
    }

    static final class Counters implements Aggregate<Add, CounterEvent, CounterState> {
        @Override
        public String category() {
            return "counter";
        }

        @Override
        public CounterState initialState() {
            return new CounterState(0, 0);
        }

        @Override
        public Decision<CounterEvent> decide(Add command, CounterState state) {
            return Decision.accept(new CounterEvent.Added(command.amount()));
        }

        @Override
        public CounterState evolve(CounterState state, CounterEvent event) {
            CounterEvent.Added added = (CounterEvent.Added) event;
            return new CounterState(state.total() + added.amount(), state.adds() + 1);
        }
    }

    final AggregateType<Add, CounterEvent, CounterState> counters;
    final DocumentProjection<Tally> tally;

    RebuildDomain(int tallyVersion, int counterSchema) {
        this.counters = AggregateType.builder(new Counters())
                .collection("counters")
                .command("add", CommandReader.json(AddBody.class, body -> new Add(body.amount())))
                .events(CounterEvent.class)
                .state(CounterState.class, counterSchema)
                .build();
        this.tally = DocumentProjection.of("tally", counters, Tally.class, tallyVersion,
                event -> changes(event, tallyVersion));
    }

    private static List<DocumentChange<Tally>> changes(ProjectedEvent<CounterEvent, CounterState> event,
                                                        int version) {
        Rebuilt.ran();
        long amount = ((CounterEvent.Added) event.event()).amount();
        return List.of(count("all", amount, version), count(event.aggregateId(), amount, version));
    }

    private static DocumentChange<Tally> count(String key, long amount, int version) {
        return DocumentChange.update(key, current -> Optional.of(new Tally(
                current.map(Tally::commits).orElse(0L) + 1, current.map(Tally::total).orElse(0L) + amount, version)));
    }

    @Override
    public String name() {
        return "rebuilds";
    }

    @Override
    public void register(DomainRegistry registry) {
        registry.aggregate(counters);
        registry.projection(tally);
    }
}
