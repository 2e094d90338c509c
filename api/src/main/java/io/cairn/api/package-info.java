/**
 * Cairn's public domain API: what a team writes to plug its own aggregates into Cairn, as a plugin jar for the
 * runnable jar or as a module of a service that embeds Cairn.
 *
 * <p>A {@link io.cairn.api.Domain} is found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.cairn.api.Domain}) or handed to Cairn directly when embedding. At start-up Cairn calls
 * its {@link io.cairn.api.Domain#register register} once with a {@link io.cairn.api.DomainRegistry}, and the domain
 * declares its aggregates there, each as one {@link io.cairn.api.AggregateType}: the
 * {@link io.cairn.domain.Aggregate} (decide and evolve), the HTTP collection, the commands by name with how each is
 * read from JSON ({@link io.cairn.api.CommandReader}), the event and state codecs, how a state is shown as JSON
 * ({@link io.cairn.api.StateView}) and which rejection reasons are not a 422. Cairn then serves every registered
 * aggregate the same way, on every store: commands, views kept current by the projector, snapshots, queries,
 * metrics and the generic HTTP routes {@code POST /{collection}/{id}/{command}} and {@code GET /{collection}/{id}}.
 * A domain may also register {@link io.cairn.api.DocumentProjection}s: read models of its own across an aggregate's
 * streams, kept by Cairn exactly once on every store and served at {@code GET /views/{name}}. When an event type's
 * shape changes, the aggregate gives it a new {@link io.cairn.api.AggregateType.Builder#eventVersion version} and
 * registers {@link io.cairn.api.Upcaster}s from the older ones, so that stored events read as the current shape.
 *
 * <p>Nothing in this package names a framework: a domain compiles against this module and {@code cairn-domain}
 * only. The JSON defaults ({@link io.cairn.api.CommandReader#json}, {@link io.cairn.api.StateView#fields},
 * {@link io.cairn.api.AggregateType.Builder#events(Class)}, {@link io.cairn.api.AggregateType.Builder#state(Class, int)})
 * use Jackson behind the scenes, configured strictly: unknown fields, missing or null primitives, floats for
 * integers and scalars of the wrong type are refused with the field's name.
 */
package io.cairn.api;
