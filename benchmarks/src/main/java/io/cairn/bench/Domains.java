package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountsDomain;
import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import io.cairn.bootstrap.CairnConfig.DomainsConfig;
import io.cairn.bootstrap.DomainLoader;
import io.cairn.bootstrap.DomainLoadingException;
import io.cairn.bootstrap.LoadedDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The domains on the benchmarks' class path, found and registered by the service's own {@link DomainLoader}
 * (a {@link ServiceLoader} of {@link Domain}; two claims to a category or collection are refused). The benchmarks drive the
 * accounts aggregate ({@link AccountsDomain#ACCOUNTS}); the other aggregates are there so that the load runs beside
 * their wiring, as in the service, which serves every registered aggregate.
 *
 * @param domains in the order {@link ServiceLoader} found them
 */
record Domains(List<Loaded> domains) {

    /** One domain and the aggregates and document projections it registered, in registration order. */
    record Loaded(String name, List<AggregateType<?, ?, ?>> aggregates, List<DocumentProjection<?>> projections) {
    }

    Domains {
        domains = List.copyOf(requireNonNull(domains, "domains must not be null"));
    }

    /**
     * The domains {@link ServiceLoader} finds, registered.
     *
     * @throws IllegalStateException when two domains share a name, a registration is refused, or the accounts
     *                               domain is not found (the jar's {@code META-INF/services} was not merged)
     */
    static Domains load() {
        List<Loaded> loaded = new ArrayList<>();
        try {
            for (LoadedDomain domain : DomainLoader.load(DomainsConfig.all())) {
                loaded.add(new Loaded(domain.name(), domain.aggregates(), domain.projections()));
            }
        } catch (DomainLoadingException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Domains domains = new Domains(loaded);
        if (domains.all().stream().noneMatch(Domains::isAccounts)) {
            throw new IllegalStateException("the accounts domain, which the benchmarks drive, is not among the "
                    + "domains found by ServiceLoader (" + domains.describe() + "): is META-INF/services/"
                    + Domain.class.getName() + " merged into the jar?");
        }
        return domains;
    }

    /** Every registered aggregate, domain by domain. */
    List<AggregateType<?, ?, ?>> all() {
        return domains.stream().flatMap(domain -> domain.aggregates().stream()).toList();
    }

    /** Every registered document projection, domain by domain. */
    List<DocumentProjection<?>> projections() {
        return domains.stream().flatMap(domain -> domain.projections().stream()).toList();
    }

    /** E.g. {@code owners, orders, warehouses}; {@code none} when no domain registered one. */
    String describeProjections() {
        List<DocumentProjection<?>> projections = projections();
        return projections.isEmpty() ? "none"
                : projections.stream().map(DocumentProjection::name).collect(Collectors.joining(", "));
    }

    /** Every registered aggregate but accounts: those whose projectors follow the load beside the accounts one. */
    List<AggregateType<?, ?, ?>> others() {
        return all().stream().filter(type -> !isAccounts(type)).toList();
    }

    /** E.g. {@code accounts [account], inventory [product]}: each domain with its aggregates' categories. */
    String describe() {
        if (domains.isEmpty()) {
            return "none";
        }
        return domains.stream()
                .map(domain -> domain.name() + " " + domain.aggregates().stream()
                        .map(AggregateType::category)
                        .collect(Collectors.joining(", ", "[", "]")))
                .collect(Collectors.joining(", "));
    }

    static boolean isAccounts(AggregateType<?, ?, ?> type) {
        return type == AccountsDomain.ACCOUNTS || type.collection().equals(AccountsDomain.ACCOUNTS.collection());
    }
}
