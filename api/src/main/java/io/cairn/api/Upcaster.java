package io.cairn.api;

import java.util.Map;

/**
 * Turns the data of a stored event of one version of its type into the data of the next version: one step of an
 * event type's upcaster chain, registered with {@link AggregateType.Builder#upcast(String, int, Upcaster)}. Cairn
 * runs the steps from an event's stored version up to its type's current one every time it reads the event, before
 * it decodes it; what is stored is never rewritten. Implementations are pure, hold no state and are thread-safe:
 * Cairn calls them on its own threads, as often as it reads the event. Only events whose data is a JSON object can be
 * upcast (every event of {@link AggregateType.Builder#events(Class)} is one); the event's metadata is kept as it is.
 *
 * <pre>{@code
 * // version 2 of Deposited carries a currency; every deposit made before it was in euros
 * .upcast("Deposited", 1, data -> {
 *     data.put("currency", "EUR");
 *     return data;
 * })
 * }</pre>
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * @param data the event's data at the version this step reads: a mutable JSON object, its keys in stored order;
     *             values are null, {@link String}, {@link Boolean}, {@link Integer}, {@link Long},
     *             {@link java.math.BigInteger}, {@link java.math.BigDecimal} (every number with a fraction or
     *             exponent, exactly as stored), mutable {@link java.util.List}s and {@link Map}s of these. Never
     *             null.
     * @return the data at the next version, in the same forms (records and enums are not allowed); {@code data}
     *         itself, changed in place, or a new map. Never null.
     * @throws RuntimeException when the data cannot be upcast: the event is unreadable, and what reads it stops
     *                          with an {@link io.cairn.domain.UnreadableEventException} naming the event and this
     *                          message
     */
    Map<String, Object> upcast(Map<String, Object> data);
}
