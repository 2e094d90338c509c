package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Purpose;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The read and write capacity units Cairn's DynamoDB calls consumed, as DynamoDB reported them, counted by the
 * calling thread's {@link Purpose} and by table and operation. A benchmark diffs {@link #totals()} around one
 * command; with a {@link MeterRegistry}, the same counts are the counters {@code cairn.dynamodb.capacity.read} and
 * {@code cairn.dynamodb.capacity.write}, tagged {@code purpose}, {@code table} and {@code operation}.
 *
 * <p>A conditional write that fails is charged by DynamoDB but reports no capacity; it is counted as the write
 * units of the item it tried to write (1 per KB, rounded up), which is what DynamoDB charges. A cancelled
 * transaction, which reports none either, is counted as what it would have cost had it been written. Thread-safe.
 */
public final class ConsumedCapacity {

    static final String READ_METER = "cairn.dynamodb.capacity.read";
    static final String WRITE_METER = "cairn.dynamodb.capacity.write";

    private final Map<Purpose, DoubleAdder> reads = adders();
    private final Map<Purpose, DoubleAdder> writes = adders();
    private final ConcurrentMap<Call, DoubleAdder[]> byCall = new ConcurrentHashMap<>();
    private final ConcurrentMap<Call, Counter[]> meters = new ConcurrentHashMap<>();
    private final Optional<MeterRegistry> registry;

    /** Counts without publishing meters. */
    public ConsumedCapacity() {
        this(Optional.empty());
    }

    /** Counts and publishes the counts as meters in {@code registry}, when present. */
    public ConsumedCapacity(Optional<MeterRegistry> registry) {
        this.registry = requireNonNull(registry, "registry must not be null");
    }

    /** Read units consumed so far under {@code purpose}. */
    public double readUnits(Purpose purpose) {
        return reads.get(requireNonNull(purpose, "purpose must not be null")).sum();
    }

    /** Write units consumed so far under {@code purpose}. */
    public double writeUnits(Purpose purpose) {
        return writes.get(requireNonNull(purpose, "purpose must not be null")).sum();
    }

    /** Read units consumed so far by {@code operation} (e.g. {@code Query}) on {@code table}, for any purpose. */
    public double readUnits(String table, String operation) {
        DoubleAdder[] adders = byCall.get(new Call(table, operation, null));
        return adders == null ? 0 : adders[0].sum();
    }

    /** Write units consumed so far by {@code operation} (e.g. {@code PutItem}) on {@code table}, for any purpose. */
    public double writeUnits(String table, String operation) {
        DoubleAdder[] adders = byCall.get(new Call(table, operation, null));
        return adders == null ? 0 : adders[1].sum();
    }

    /** The counts per purpose as they are now, to subtract from a later one. */
    public Totals totals() {
        Map<Purpose, Double> r = new EnumMap<>(Purpose.class);
        Map<Purpose, Double> w = new EnumMap<>(Purpose.class);
        for (Purpose purpose : Purpose.values()) {
            r.put(purpose, readUnits(purpose));
            w.put(purpose, writeUnits(purpose));
        }
        return new Totals(r, w);
    }

    /** Sets the programmatic counts to zero; published meters keep counting (Micrometer counters only grow). */
    public void reset() {
        reads.values().forEach(DoubleAdder::reset);
        writes.values().forEach(DoubleAdder::reset);
        byCall.values().forEach(adders -> {
            adders[0].reset();
            adders[1].reset();
        });
    }

    /** Counts one call's consumption under the current thread's purpose. */
    void record(String table, String operation, double readUnits, double writeUnits) {
        if (readUnits == 0 && writeUnits == 0) {
            return;
        }
        Purpose purpose = Purpose.current();
        reads.get(purpose).add(readUnits);
        writes.get(purpose).add(writeUnits);
        DoubleAdder[] adders = byCall.computeIfAbsent(new Call(table, operation, null),
                c -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()});
        adders[0].add(readUnits);
        adders[1].add(writeUnits);
        registry.ifPresent(r -> {
            Counter[] counters = meters.computeIfAbsent(new Call(table, operation, purpose), c -> new Counter[] {
                    counter(r, READ_METER, c), counter(r, WRITE_METER, c)});
            counters[0].increment(readUnits);
            counters[1].increment(writeUnits);
        });
    }

    private static Counter counter(MeterRegistry registry, String name, Call call) {
        return Counter.builder(name)
                .description("DynamoDB capacity units consumed")
                .baseUnit("units")
                .tag("purpose", call.purpose().name().toLowerCase(Locale.ROOT))
                .tag("table", call.table())
                .tag("operation", call.operation())
                .register(registry);
    }

    private static Map<Purpose, DoubleAdder> adders() {
        Map<Purpose, DoubleAdder> map = new EnumMap<>(Purpose.class);
        for (Purpose purpose : Purpose.values()) {
            map.put(purpose, new DoubleAdder());
        }
        return map;
    }

    private record Call(String table, String operation, Purpose purpose) {
    }

    /**
     * Capacity units per purpose at one moment.
     *
     * @param reads  read units per purpose, every purpose present
     * @param writes write units per purpose, every purpose present
     */
    public record Totals(Map<Purpose, Double> reads, Map<Purpose, Double> writes) {

        public Totals {
            reads = Map.copyOf(reads);
            writes = Map.copyOf(writes);
        }

        public double readUnits(Purpose purpose) {
            return reads.get(purpose);
        }

        public double writeUnits(Purpose purpose) {
            return writes.get(purpose);
        }

        /** What was consumed between {@code earlier} and this. */
        public Totals minus(Totals earlier) {
            Map<Purpose, Double> r = new EnumMap<>(Purpose.class);
            Map<Purpose, Double> w = new EnumMap<>(Purpose.class);
            for (Purpose purpose : Purpose.values()) {
                r.put(purpose, readUnits(purpose) - earlier.readUnits(purpose));
                w.put(purpose, writeUnits(purpose) - earlier.writeUnits(purpose));
            }
            return new Totals(r, w);
        }
    }
}
