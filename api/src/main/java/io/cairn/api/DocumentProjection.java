package io.cairn.api;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.DocumentHandler;
import io.cairn.domain.StateCodec;
import io.cairn.json.JacksonStateCodec;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A read model of a domain's own: JSON documents of one collection, kept by Cairn from the events of one aggregate
 * type across all its streams, and served at {@code GET /views/{name}/{key}}. For each event the {@link #handler}
 * returns changes to documents it keys itself (an order's lines across products, a warehouse's totals, an owner's
 * accounts); Cairn applies them exactly once per event on every store, with the projection's own checkpoint.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * DocumentProjection<ProductEvent, ProductState, Warehouse> warehouses = DocumentProjection.of(
 *         "warehouses", PRODUCTS, Warehouse.class,
 *         event -> event.event() instanceof StockReceived received
 *                 ? List.of(DocumentChange.update(event.stateBefore().warehouse(),
 *                         current -> current.map(warehouse -> warehouse.received(received.quantity()))))
 *                 : List.of());
 * }</pre>
 *
 * <h2>What a handler may assume about order</h2>
 * The events of one stream reach the handler in revision order, each exactly once, with the stream's state before
 * it. Across streams the order depends on the store: on PostgreSQL every event comes in the global order of commits;
 * on DynamoDB, which orders commits only per stream, events of different streams come in any order. A document fed
 * by several streams therefore comes out right on every store only if the changes of different streams to it
 * commute (sums, counts, a line or field per stream, set membership), as those of the reference domains do.
 *
 * @param <E> the aggregate's event type
 * @param <S> the aggregate's state type
 * @param <D> the document type: a record or class Jackson maps to and from JSON, treated as an immutable value
 */
public final class DocumentProjection<E, S, D> {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** Names a projection cannot take: the live feed's own projection, and the suffix of aggregate views. */
    public static final Set<String> RESERVED_NAMES = Set.of("live-feed");

    private final String name;
    private final AggregateType<?, E, S> follows;
    private final StateCodec<D> documents;
    private final DocumentHandler<E, S, D> handler;

    private DocumentProjection(String name, AggregateType<?, E, S> follows, StateCodec<D> documents,
                               DocumentHandler<E, S, D> handler) {
        this.name = requireNonNull(name, "name must not be null");
        this.follows = requireNonNull(follows, "follows must not be null");
        this.documents = requireNonNull(documents, "documents must not be null");
        this.handler = requireNonNull(handler, "handler must not be null");
        if (!NAME.matcher(name).matches() || name.endsWith("-view") || RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException("projection name '" + name + "' must be 1-64 characters of [a-z0-9-],"
                    + " starting with a letter, not ending in -view, and not one of " + RESERVED_NAMES);
        }
    }

    /**
     * A projection named {@code name} of the events of {@code follows}, into documents of {@code documentType}
     * (stored as the JSON Jackson makes of it).
     *
     * @param name         1-64 characters of {@code [a-z0-9-]}, starting with a letter, not ending in {@code -view},
     *                     not {@code live-feed}; unique among the projections Cairn runs. It names the collection
     *                     ({@code /views/{name}}) and the projection's checkpoint.
     * @param follows      the aggregate whose events it projects; it must be registered too (by any domain)
     * @param documentType the documents' class
     * @param handler      the changes of each event
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is not such a name
     */
    public static <E, S, D> DocumentProjection<E, S, D> of(String name, AggregateType<?, E, S> follows,
                                                          Class<D> documentType, DocumentHandler<E, S, D> handler) {
        requireNonNull(documentType, "documentType must not be null");
        return new DocumentProjection<>(name, follows, new JacksonStateCodec<>(documentType, 1), handler);
    }

    /** The projection's name: its collection at {@code /views/{name}} and its checkpoint's name. */
    public String name() {
        return name;
    }

    /** The aggregate whose events it projects. */
    public AggregateType<?, E, S> follows() {
        return follows;
    }

    /** How documents are stored: as JSON. */
    public StateCodec<D> documents() {
        return documents;
    }

    /** The changes of each event. */
    public DocumentHandler<E, S, D> handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "projection " + name + " of " + follows.category();
    }
}
