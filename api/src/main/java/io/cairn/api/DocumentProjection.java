package io.cairn.api;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.DocumentHandler;
import io.cairn.domain.StateCodec;
import io.cairn.json.JacksonStateCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A read model of a domain's own: JSON documents of one collection, kept by Cairn from the events of the aggregate
 * types it follows, across all their streams, and served at {@code GET /views/{name}/{key}}. For each event the
 * handler of its aggregate returns changes to documents it keys itself (an order's lines across products, a
 * warehouse's totals, an owner's accounts); Cairn applies them exactly once per event on every store, with the
 * projection's own checkpoint. Immutable and thread-safe.
 *
 * <pre>{@code
 * DocumentProjection<Warehouse> warehouses = DocumentProjection.of("warehouses", PRODUCTS, Warehouse.class,
 *         event -> event.event() instanceof StockReceived received
 *                 ? List.of(DocumentChange.update(event.stateBefore().warehouse(),
 *                         current -> current.map(warehouse -> warehouse.received(received.quantity()))))
 *                 : List.of());
 *
 * DocumentProjection<Customer> customers = DocumentProjection.builder("customers", Customer.class)
 *         .follow(ORDERS, orderEvents -> ...)       // several aggregates feed the same documents
 *         .follow(PAYMENTS, paymentEvents -> ...)
 *         .build();
 * }</pre>
 *
 * <h2>What a handler may assume about order</h2>
 * The events of one stream reach its handler in revision order, each exactly once, with the stream's state before
 * it. Across streams the order depends on the store: on PostgreSQL every event comes in the global order of commits
 * (across all the aggregates followed); on DynamoDB, which orders commits only per stream, events of different
 * streams come in any order. A document fed by several streams therefore comes out right on every store only if the
 * changes of different streams to it commute (sums, counts, a line or field per stream, set membership), as those of
 * the reference domains do.
 *
 * @param <D> the document type: a record or class Jackson maps to and from JSON, treated as an immutable value
 */
public final class DocumentProjection<D> {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** Names a projection cannot take: the live feed's own projection, and the suffix of aggregate views. */
    public static final Set<String> RESERVED_NAMES = Set.of("live-feed");

    /**
     * One aggregate a projection follows, and what its handler makes of each of its events.
     *
     * @param aggregate the aggregate; it must be registered too (by any domain)
     * @param handler   the document changes of each of its events
     */
    public record Follow<E, S, D>(AggregateType<?, E, S> aggregate, DocumentHandler<E, S, D> handler) {
        public Follow {
            requireNonNull(aggregate, "aggregate must not be null");
            requireNonNull(handler, "handler must not be null");
        }
    }

    private final String name;
    private final List<Follow<?, ?, D>> follows;
    private final StateCodec<D> documents;
    private final int version;

    private DocumentProjection(Builder<D> builder) {
        this.name = builder.name;
        this.follows = List.copyOf(builder.follows.values());
        this.documents = builder.documents;
        this.version = builder.version;
    }

    /**
     * A projection named {@code name} of the events of one aggregate, {@code follows}, into documents of
     * {@code documentType}: the same as {@code builder(name, documentType).follow(follows, handler).build()}.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is not a projection's name (see {@link #builder})
     */
    public static <E, S, D> DocumentProjection<D> of(String name, AggregateType<?, E, S> follows,
                                                    Class<D> documentType, DocumentHandler<E, S, D> handler) {
        return builder(name, documentType).follow(follows, handler).build();
    }

    /**
     * The same as {@link #of(String, AggregateType, Class, DocumentHandler)}, at {@code version}: see
     * {@link Builder#version}.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is not a projection's name, or {@code version < 1}
     */
    public static <E, S, D> DocumentProjection<D> of(String name, AggregateType<?, E, S> follows,
                                                    Class<D> documentType, int version,
                                                    DocumentHandler<E, S, D> handler) {
        return builder(name, documentType).version(version).follow(follows, handler).build();
    }

    /**
     * Starts a projection named {@code name} into documents of {@code documentType} (stored as the JSON Jackson
     * makes of it); {@link Builder#follow} adds the aggregates it follows.
     *
     * @param name         1-64 characters of {@code [a-z0-9-]}, starting with a letter, not ending in {@code -view},
     *                     not {@code live-feed}; unique among the projections Cairn runs. It names the collection
     *                     ({@code /views/{name}}) and the projection's checkpoint.
     * @param documentType the documents' class
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code name} is not such a name
     */
    public static <D> Builder<D> builder(String name, Class<D> documentType) {
        return new Builder<>(name, documentType);
    }

    /** The projection's name: its collection at {@code /views/{name}} and its checkpoint's name. */
    public String name() {
        return name;
    }

    /** The aggregates it follows, each with its handler, in the order they were added; at least one. */
    public List<Follow<?, ?, D>> follows() {
        return follows;
    }

    /**
     * The version of what the handlers make, 1 unless {@link Builder#version set}: raising it makes Cairn rebuild
     * the documents from the start of history, beside the ones queries read, and switch once caught up.
     */
    public int version() {
        return version;
    }

    /** How documents are stored: as JSON. */
    public StateCodec<D> documents() {
        return documents;
    }

    @Override
    public String toString() {
        StringBuilder categories = new StringBuilder();
        for (Follow<?, ?, D> follow : follows) {
            categories.append(categories.length() == 0 ? "" : ", ").append(follow.aggregate().category());
        }
        return "projection " + name + " of " + categories;
    }

    /**
     * Builds a {@link DocumentProjection}. Not thread-safe. Every method refuses a null argument with a
     * {@link NullPointerException} and a bad one with an {@link IllegalArgumentException} naming it.
     */
    public static final class Builder<D> {
        private final String name;
        private final StateCodec<D> documents;
        private final Map<String, Follow<?, ?, D>> follows = new LinkedHashMap<>();
        private int version = 1;

        private Builder(String name, Class<D> documentType) {
            this.name = requireNonNull(name, "name must not be null");
            requireNonNull(documentType, "documentType must not be null");
            if (!NAME.matcher(name).matches() || name.endsWith("-view") || RESERVED_NAMES.contains(name)) {
                throw new IllegalArgumentException("projection name '" + name + "' must be 1-64 characters of "
                        + "[a-z0-9-], starting with a letter, not ending in -view, and not one of " + RESERVED_NAMES);
            }
            this.documents = new JacksonStateCodec<>(documentType, 1);
        }

        /**
         * Follows {@code aggregate}: every event of its streams goes to {@code handler}.
         *
         * @throws IllegalArgumentException when the projection follows that aggregate's category already
         */
        public <E, S> Builder<D> follow(AggregateType<?, E, S> aggregate, DocumentHandler<E, S, D> handler) {
            Follow<E, S, D> follow = new Follow<>(aggregate, handler);
            if (follows.putIfAbsent(aggregate.category(), follow) != null) {
                throw new IllegalArgumentException("projection " + name + " follows category "
                        + aggregate.category() + " twice");
            }
            return this;
        }

        /**
         * The version of what the handlers make; 1 by default. Raise it whenever a handler's output changes for events
         * already stored (a new field, a fixed bug, another key): at its next start Cairn sees a version above the
         * one its documents were built with and rebuilds them as a new generation from the start of history, while
         * queries keep reading the old documents, then switches at once and deletes the old ones. A version below
         * the built one is refused at start-up (a rollback would serve documents of the newer code). Handlers are run
         * again for every stored event by a rebuild: they must only compute documents, never act on the world.
         *
         * @throws IllegalArgumentException when {@code version < 1}
         */
        public Builder<D> version(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("projection " + name + ": version must be >= 1, was " + version);
            }
            this.version = version;
            return this;
        }

        /** @throws IllegalStateException when it follows no aggregate */
        public DocumentProjection<D> build() {
            if (follows.isEmpty()) {
                throw new IllegalStateException("projection " + name + " follows no aggregate: call follow");
            }
            return new DocumentProjection<>(this);
        }
    }
}
