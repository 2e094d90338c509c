package io.cairn.api;

/**
 * Where a {@link Domain} declares its aggregates and projections, while Cairn starts. Not thread-safe: a domain registers on the
 * thread that called {@link Domain#register}, and only during that call.
 */
public interface DomainRegistry {

    /**
     * Declares an aggregate: Cairn will serve its commands, views, snapshots and queries, over HTTP at
     * {@code /{collection}}.
     *
     * @param aggregate not null
     * @throws IllegalArgumentException when another aggregate (of this domain or another) already claims the
     *                                  aggregate's category or collection
     * @throws IllegalStateException    when called after {@link Domain#register} returned
     */
    void aggregate(AggregateType<?, ?, ?> aggregate);

    /**
     * Declares a document projection: Cairn will keep its documents from the events of the aggregates it follows,
     * exactly once, and serve them over HTTP at {@code /views/{name}}.
     *
     * @param projection not null
     * @throws IllegalArgumentException when another projection (of this domain or another) already has its name;
     *                                  Cairn refuses to start, too, when an aggregate it follows is registered by no
     *                                  domain
     * @throws IllegalStateException    when called after {@link Domain#register} returned
     */
    void projection(DocumentProjection<?> projection);
}
