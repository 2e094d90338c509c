package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.accounts.AccountsDomain;
import io.cairn.api.AggregateType;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The domains on the benchmarks' class path, found as the service finds its built-in ones
 * ({@link ServiceLoader} of {@link Domain}), each registered once with a small collecting {@link DomainRegistry}
 * that refuses, as the service's does, a second claim to a category or collection. The benchmarks drive the
 * accounts aggregate ({@link AccountsDomain#ACCOUNTS}); the other aggregates are there so that the load runs beside
 * their wiring, as in the service, which serves every registered aggregate.
 *
 * @param domains in the order {@link ServiceLoader} found them
 */
record Domains(List<Loaded> domains) {

    /** One domain and the aggregates it registered, in registration order. */
    record Loaded(String name, List<AggregateType<?, ?, ?>> aggregates) {
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
        Map<String, String> categories = new HashMap<>();
        Map<String, String> collections = new HashMap<>();
        for (Domain domain : ServiceLoader.load(Domain.class, Domains.class.getClassLoader())) {
            String name = domain.name();
            if (loaded.stream().anyMatch(earlier -> earlier.name().equals(name))) {
                throw new IllegalStateException("two domains are named '" + name + "'");
            }
            Registry registry = new Registry(name, categories, collections);
            try {
                domain.register(registry);
            } catch (RuntimeException e) {
                throw new IllegalStateException("domain '" + name + "' (" + domain.getClass().getName()
                        + ") did not register: " + e.getMessage(), e);
            } finally {
                registry.closed = true;
            }
            loaded.add(new Loaded(name, List.copyOf(registry.aggregates)));
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

    /** Collects one domain's aggregates during its {@link Domain#register} call. */
    private static final class Registry implements DomainRegistry {
        private final String domain;
        private final Map<String, String> categories;
        private final Map<String, String> collections;
        private final List<AggregateType<?, ?, ?>> aggregates = new ArrayList<>();
        private boolean closed;

        Registry(String domain, Map<String, String> categories, Map<String, String> collections) {
            this.domain = domain;
            this.categories = categories;
            this.collections = collections;
        }

        @Override
        public void aggregate(AggregateType<?, ?, ?> aggregate) {
            requireNonNull(aggregate, "aggregate must not be null");
            if (closed) {
                throw new IllegalStateException("domain '" + domain + "' registered after register returned");
            }
            String category = categories.get(aggregate.category());
            if (category != null) {
                throw new IllegalArgumentException("category '" + aggregate.category() + "' is already claimed by "
                        + "domain '" + category + "'");
            }
            String collection = collections.get(aggregate.collection());
            if (collection != null) {
                throw new IllegalArgumentException("collection '" + aggregate.collection() + "' is already claimed "
                        + "by domain '" + collection + "'");
            }
            categories.put(aggregate.category(), domain);
            collections.put(aggregate.collection(), domain);
            aggregates.add(aggregate);
        }
    }
}
