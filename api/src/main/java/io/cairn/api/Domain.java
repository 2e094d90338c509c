package io.cairn.api;

/**
 * A user's domain: a named set of aggregates that Cairn serves. Implementations are found with
 * {@link java.util.ServiceLoader} (a plugin jar lists its class in {@code META-INF/services/io.cairn.api.Domain},
 * and the class needs a public no-argument constructor) or handed to Cairn directly by code that embeds it.
 *
 * <p>Cairn calls {@link #name} and {@link #register} once each, at start-up, on one thread, before it serves any
 * request. A domain that throws from either stops start-up with a message naming it.
 */
public interface Domain {

    /**
     * The domain's name, as {@code cairn.domains} selects it and the start-up log shows it: 1-64 characters of
     * {@code [a-z0-9-]}, starting with a letter; unique among the domains Cairn runs. Never null.
     */
    String name();

    /**
     * Declares the domain's aggregates. Called once; the registry must not be kept and used later.
     *
     * @param registry not null
     * @throws RuntimeException of any kind to refuse to start; Cairn reports it with the domain's name and source
     */
    void register(DomainRegistry registry);
}
