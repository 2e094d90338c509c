package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import java.util.List;

/**
 * A domain Cairn runs, with what it registered and where it came from.
 *
 * @param domain     the domain
 * @param source     where it came from, for the start-up log: {@code built in (cairn-accounts.jar)}, a plugin jar's
 *                   path, or {@code embedded}
 * @param aggregates  the aggregates it registered, in order; possibly empty for a domain of projections only
 * @param projections the document projections it registered, in order; possibly empty
 */
public record LoadedDomain(Domain domain, String source, List<AggregateType<?, ?, ?>> aggregates,
                           List<DocumentProjection<?, ?, ?>> projections) {

    public LoadedDomain {
        requireNonNull(domain, "domain must not be null");
        requireNonNull(source, "source must not be null");
        aggregates = List.copyOf(requireNonNull(aggregates, "aggregates must not be null"));
        projections = List.copyOf(requireNonNull(projections, "projections must not be null"));
    }

    /** The domain's name. */
    public String name() {
        return domain.name();
    }

    /** One line for the start-up log. */
    String describe() {
        StringBuilder line = new StringBuilder("domain ").append(name()).append(" from ").append(source).append(':');
        for (AggregateType<?, ?, ?> aggregate : aggregates) {
            line.append(" aggregate ").append(aggregate.category()).append(" at /").append(aggregate.collection())
                    .append(' ').append(aggregate.commands().keySet());
        }
        for (DocumentProjection<?, ?, ?> projection : projections) {
            line.append(" projection ").append(projection.name()).append(" of ")
                    .append(projection.follows().category()).append(" at /views/").append(projection.name());
        }
        return line.toString();
    }
}
