package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.api.AggregateType;
import io.cairn.api.DocumentProjection;
import io.cairn.api.Domain;
import io.cairn.api.DomainRegistry;
import io.cairn.bootstrap.CairnConfig.DomainsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipException;

/**
 * Finds the domains Cairn runs and has them register: those on Cairn's own class path (the built-in accounts
 * domain), and those of every jar in the plugin directory, loaded by one class loader whose parent is Cairn's, so a
 * plugin sees Cairn's API and its own classes. Each domain registers once, in order: built-in ones, then plugins
 * by jar name. Any failure stops start-up with a {@link DomainLoadingException} naming the domain or jar.
 */
public final class DomainLoader {

    static final String SERVICE_FILE = "META-INF/services/" + Domain.class.getName();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private DomainLoader() {
    }

    /** A domain found, not yet registered. */
    record Found(Domain domain, String source) {
    }

    /**
     * The domains on the class path and in {@code config.plugins()}, filtered by {@code config.only()},
     * registered.
     *
     * @throws DomainLoadingException for any bad plugin, domain or registration
     */
    public static List<LoadedDomain> load(DomainsConfig config) {
        return register(found(config), config.only());
    }

    /** The domains on Cairn's class path, then those of the plugin directory, not yet registered. */
    static List<Found> found(DomainsConfig config) {
        List<Found> found = new ArrayList<>(builtIn());
        config.plugins().ifPresent(directory -> found.addAll(plugins(directory)));
        return found;
    }

    /** The domains on Cairn's own class path. */
    static List<Found> builtIn() {
        List<Found> found = new ArrayList<>();
        try {
            for (Domain domain : ServiceLoader.load(Domain.class, DomainLoader.class.getClassLoader())) {
                found.add(new Found(domain, "built in (" + origin(domain.getClass()) + ")"));
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new DomainLoadingException("a built-in domain cannot be created: " + e.getMessage(), e);
        }
        return found;
    }

    /** Every jar in {@code directory}: each must be a jar that lists at least one domain. */
    static List<Found> plugins(Path directory) {
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DomainLoadingException("the plugin directory " + directory + " cannot be read: " + e, e);
        }
        Map<Path, List<String>> domainClasses = new LinkedHashMap<>();
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            domainClasses.put(jar, domainClassesIn(jar));
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new DomainLoadingException("plugin " + jar + ": " + e.getMessage(), e);
            }
        }
        if (urls.isEmpty()) {
            return List.of();
        }
        // one loader for every plugin: plugins may share a library jar; Cairn's API comes from the parent
        URLClassLoader loader = new URLClassLoader("cairn-plugins", urls.toArray(URL[]::new),
                DomainLoader.class.getClassLoader());
        List<Found> found = new ArrayList<>();
        domainClasses.forEach((jar, classes) -> {
            for (String className : classes) {
                found.add(new Found(instantiate(jar, className, loader), "plugin " + jar));
            }
        });
        return found;
    }

    private static List<String> domainClassesIn(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry services = file.getJarEntry(SERVICE_FILE);
            List<String> classes = new ArrayList<>();
            if (services != null) {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(file.getInputStream(services),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        int comment = line.indexOf('#');
                        String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                        if (!name.isEmpty()) {
                            classes.add(name);
                        }
                    }
                }
            }
            if (classes.isEmpty()) {
                throw new DomainLoadingException("plugin " + jar + " holds no domain: it has no " + SERVICE_FILE
                        + " listing a class that implements " + Domain.class.getName());
            }
            return classes;
        } catch (ZipException e) {
            throw new DomainLoadingException("plugin " + jar + " is not a jar: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DomainLoadingException("plugin " + jar + " cannot be read: " + e, e);
        }
    }

    private static Domain instantiate(Path jar, String className, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(className, true, loader);
            if (!Domain.class.isAssignableFrom(type)) {
                throw new DomainLoadingException("plugin " + jar + ": " + className + " does not implement "
                        + Domain.class.getName());
            }
            return (Domain) type.getConstructor().newInstance();
        } catch (DomainLoadingException e) {
            throw e;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new DomainLoadingException("plugin " + jar + ": domain class " + className
                    + " cannot be loaded (" + e + ")", e);
        } catch (NoSuchMethodException e) {
            throw new DomainLoadingException("plugin " + jar + ": domain class " + className
                    + " has no public no-argument constructor", e);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new DomainLoadingException("plugin " + jar + ": domain class " + className
                    + " cannot be created: " + cause, cause);
        }
    }

    /** Has each domain {@code only} selects register, and checks that no two aggregates claim one name. */
    static List<LoadedDomain> register(List<Found> found, Set<String> only) {
        Map<String, Found> byName = new LinkedHashMap<>();
        for (Found candidate : found) {
            String name = name(candidate);
            Found earlier = byName.putIfAbsent(name, candidate);
            if (earlier != null) {
                throw new DomainLoadingException("two domains are named '" + name + "': from " + earlier.source()
                        + " and from " + candidate.source());
            }
        }
        Set<String> missing = new LinkedHashSet<>(only);
        missing.removeAll(byName.keySet());
        if (!missing.isEmpty()) {
            throw new DomainLoadingException("cairn.domains (CAIRN_DOMAINS) names " + missing
                    + ", which no jar provides; found: " + byName.keySet());
        }
        List<LoadedDomain> loaded = new ArrayList<>();
        Map<String, String> categories = new HashMap<>();
        Map<String, String> collections = new HashMap<>();
        Map<String, String> projectionNames = new HashMap<>();
        for (Found candidate : byName.values()) {
            String name = candidate.domain().name();
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            Registry registry = new Registry();
            try {
                candidate.domain().register(registry);
            } catch (RuntimeException | LinkageError e) {
                throw new DomainLoadingException("domain '" + name + "' (" + candidate.source()
                        + ") failed while registering: " + e, e);
            } finally {
                registry.close();
            }
            if (registry.aggregates.isEmpty() && registry.projections.isEmpty()) {
                throw new DomainLoadingException("domain '" + name + "' (" + candidate.source()
                        + ") registered no aggregate and no projection");
            }
            String owner = "domain '" + name + "' (" + candidate.source() + ")";
            for (AggregateType<?, ?, ?> aggregate : registry.aggregates) {
                claim(categories, "category '" + aggregate.category() + "'", aggregate.category(), owner);
                claim(collections, "collection '" + aggregate.collection() + "'", aggregate.collection(), owner);
            }
            for (DocumentProjection<?, ?, ?> projection : registry.projections) {
                claim(projectionNames, "projection name '" + projection.name() + "'", projection.name(), owner,
                        "projections");
            }
            loaded.add(new LoadedDomain(candidate.domain(), candidate.source(), registry.aggregates,
                    registry.projections));
        }
        for (LoadedDomain domain : loaded) {
            for (DocumentProjection<?, ?, ?> projection : domain.projections()) {
                if (!categories.containsKey(projection.follows().category())) {
                    throw new DomainLoadingException("domain '" + domain.name() + "' (" + domain.source()
                            + ") registered " + projection + ", but no domain Cairn runs registers the aggregate "
                            + "of category '" + projection.follows().category() + "'");
                }
            }
        }
        return loaded;
    }

    private static void claim(Map<String, String> claimed, String what, String key, String owner) {
        claim(claimed, what, key, owner, "aggregates");
    }

    private static void claim(Map<String, String> claimed, String what, String key, String owner, String kind) {
        String earlier = claimed.putIfAbsent(key, owner);
        if (earlier != null) {
            throw new DomainLoadingException("two " + kind + " claim the " + what + ": one of " + earlier
                    + " and one of " + owner);
        }
    }

    private static String name(Found candidate) {
        String name;
        try {
            name = candidate.domain().name();
        } catch (RuntimeException e) {
            throw new DomainLoadingException("a domain from " + candidate.source() + " failed to name itself: " + e, e);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DomainLoadingException("the domain " + candidate.domain().getClass().getName() + " from "
                    + candidate.source() + " is named '" + name
                    + "'; a domain's name is 1-64 characters of [a-z0-9-], starting with a letter");
        }
        return name;
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return type.getName();
        }
        String location = source.getLocation().getPath();
        int slash = location.lastIndexOf('/', location.length() - 2);
        return location.substring(slash + 1);
    }

    /** Collects one domain's aggregates during its {@code register} call. */
    private static final class Registry implements DomainRegistry {
        private final List<AggregateType<?, ?, ?>> aggregates = new ArrayList<>();
        private final List<DocumentProjection<?, ?, ?>> projections = new ArrayList<>();
        private boolean closed;

        @Override
        public void aggregate(AggregateType<?, ?, ?> aggregate) {
            if (closed) {
                throw new IllegalStateException("a domain registers only while Cairn calls its register method");
            }
            requireNonNull(aggregate, "aggregate must not be null");
            for (AggregateType<?, ?, ?> earlier : aggregates) {
                if (earlier.category().equals(aggregate.category())
                        || earlier.collection().equals(aggregate.collection())) {
                    throw new IllegalArgumentException("two aggregates of this domain claim the category or "
                            + "collection of " + aggregate);
                }
            }
            aggregates.add(aggregate);
        }

        @Override
        public void projection(DocumentProjection<?, ?, ?> projection) {
            if (closed) {
                throw new IllegalStateException("a domain registers only while Cairn calls its register method");
            }
            requireNonNull(projection, "projection must not be null");
            for (DocumentProjection<?, ?, ?> earlier : projections) {
                if (earlier.name().equals(projection.name())) {
                    throw new IllegalArgumentException("two projections of this domain are named '"
                            + projection.name() + "'");
                }
            }
            projections.add(projection);
        }

        void close() {
            closed = true;
        }
    }
}
