package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.cairn.application.InvalidSettingException;
import io.cairn.dynamodb.DynamoDbSettings;
import io.cairn.http.Access;
import io.cairn.http.ApiKeys;
import io.cairn.http.Authentication;
import io.cairn.http.HttpSecurity;
import io.cairn.http.Limits;
import io.cairn.http.TlsConfig;
import io.cairn.postgres.PostgresSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Cairn's configuration, read once at start-up and validated as a whole, so that a typo stops the process with a
 * message naming the key instead of surfacing later.
 *
 * <p>Sources, strongest first: environment variables {@code CAIRN_<KEY>}, JVM system properties, the config file,
 * {@code reference.conf}. The environment variable of a key is its path without {@code cairn.}, upper-cased, with
 * dots and dashes as underscores: {@code cairn.http.port} is {@code CAIRN_HTTP_PORT}.
 */
public record CairnConfig(
        StoreKind store,
        Path dataDir,
        DynamoDbConfig dynamoDb,
        PostgresConfig postgres,
        String httpHost,
        int httpPort,
        long maxRequestBytes,
        long idempotencyCacheSize,
        Duration idempotencyTtl,
        Duration healthCheckTimeout,
        int commandMaxAttempts,
        Duration commandBaseBackoff,
        Duration commandMaxBackoff,
        long viewCacheSize,
        ProjectionConfig projection,
        Duration shutdownTimeout,
        DomainsConfig domains,
        HttpSecurity httpSecurity) {

    /** The environment variable naming a config file, as an alternative to {@code --config}. */
    public static final String CONFIG_FILE_ENV = "CAIRN_CONFIG";

    /** The configuration key of each field of the adapters' settings that a key sets. */
    private static final Map<String, String> ADAPTER_FIELDS = Map.ofEntries(
            Map.entry("dynamodb.endpoint", "dynamodb.endpoint"),
            Map.entry("dynamodb.region", "dynamodb.region"),
            Map.entry("dynamodb.tablePrefix", "dynamodb.table-prefix"),
            Map.entry("dynamodb.streamsPollInterval", "dynamodb.streams-poll-interval"),
            Map.entry("postgres.jdbcUrl", "postgres.url"),
            Map.entry("postgres.user", "postgres.user"),
            Map.entry("postgres.schema", "postgres.schema"),
            Map.entry("postgres.poolSize", "postgres.pool-size"),
            Map.entry("postgres.pollInterval", "postgres.poll-interval"),
            Map.entry("postgres.pollBatchSize", "postgres.poll-batch-size"));

    public enum StoreKind { MEMORY, DYNAMODB, POSTGRES }

    /**
     * Which domains run.
     *
     * @param plugins a directory whose jars are loaded at start-up, each holding domains; empty for none
     * @param only    the names of the domains to run; empty runs every domain found (built in and plugins)
     */
    public record DomainsConfig(Optional<Path> plugins, Set<String> only) {
        public DomainsConfig {
            requireNonNull(plugins, "plugins must not be null");
            only = Set.copyOf(requireNonNull(only, "only must not be null"));
        }

        /** Every domain on the class path, no plugin directory. */
        public static DomainsConfig all() {
            return new DomainsConfig(Optional.empty(), Set.of());
        }
    }


    /**
     * How the projector runs.
     *
     * @param ringSize    entries in the Disruptor ring both channels publish into, a power of two
     * @param shards      consumers on a store without a global order (DynamoDB), each projecting its share of streams
     * @param gapWait     how long a fast commit that overtook another waits for it before the store is read
     * @param fastChannel whether the projector listens to the in-process fast channel at all; off, views follow the
     *                    durable channel only (polling or DynamoDB Streams)
     * @param failureAttempts how often a document projection tries a commit its handler fails on before it stops at it
     * @param failureBackoff  the pause before the first retry of such a commit, doubled before each further one
     */
    public record ProjectionConfig(int ringSize, int shards, Duration gapWait, boolean fastChannel,
                                   int failureAttempts, Duration failureBackoff) {
        public ProjectionConfig {
            requireNonNull(gapWait, "gapWait must not be null");
            requireNonNull(failureBackoff, "failureBackoff must not be null");
        }
    }

    /**
     * Where DynamoDB is and how Cairn uses it.
     *
     * @param endpoint           empty: DynamoDB Local in process, its data in {@code dataDir}; {@code aws}: the region's AWS
     *                           endpoint; otherwise the URL of any DynamoDB endpoint
     * @param createTables       create missing tables at start-up (else only check they exist)
     * @param streamsPollInterval how often the DynamoDB Streams subscriber polls an idle shard
     */
    public record DynamoDbConfig(Optional<URI> endpoint, boolean embedded, String region, String tablePrefix,
                                 boolean createTables, Duration streamsPollInterval) {
        public DynamoDbConfig {
            requireNonNull(endpoint, "endpoint must not be null");
            requireNonNull(region, "region must not be null");
            requireNonNull(tablePrefix, "tablePrefix must not be null");
            requireNonNull(streamsPollInterval, "streamsPollInterval must not be null");
        }

        /**
         * The adapter's settings, which hold the rules for every value.
         *
         * @param actualEndpoint where DynamoDB is: {@link #endpoint()}; empty for AWS and for the embedded DynamoDB
         *                       Local, which is reached in process, without an endpoint
         */
        public DynamoDbSettings settings(Optional<URI> actualEndpoint) {
            return new DynamoDbSettings(actualEndpoint, region, tablePrefix, createTables, streamsPollInterval);
        }
    }

    /**
     * Where PostgreSQL is and how Cairn uses it.
     *
     * @param url           a JDBC URL; empty unless the store is postgres
     * @param schema        the schema Cairn's tables live in
     * @param migrate       apply Cairn's schema migrations at start-up (else only check the schema's version)
     * @param pollInterval  how often the catch-up subscriber polls when LISTEN/NOTIFY has not woken it
     * @param pollBatchSize commits read per poll
     */
    public record PostgresConfig(String url, String user, String password, String schema, int poolSize,
                                 boolean migrate, Duration pollInterval, int pollBatchSize) {
        public PostgresConfig {
            requireNonNull(url, "url must not be null");
            requireNonNull(schema, "schema must not be null");
            requireNonNull(user, "user must not be null");
            requireNonNull(password, "password must not be null");
            requireNonNull(pollInterval, "pollInterval must not be null");
        }

        /** The adapter's settings, which hold the rules for every value. */
        public PostgresSettings settings() {
            return PostgresSettings.of(url, user, password)
                    .withSchema(schema)
                    .withPoolSize(poolSize)
                    .withMigrateOnStart(migrate)
                    .withPollInterval(pollInterval)
                    .withPollBatchSize(pollBatchSize);
        }

        @Override
        public String toString() {
            return "PostgresConfig[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
                    + ", schema=" + schema + ", poolSize=" + poolSize + ", migrate=" + migrate + ", pollInterval=" + pollInterval
                    + ", pollBatchSize=" + pollBatchSize + "]";
        }
    }

    public CairnConfig {
        requireNonNull(store, "store must not be null");
        requireNonNull(dataDir, "dataDir must not be null");
        requireNonNull(dynamoDb, "dynamoDb must not be null");
        requireNonNull(postgres, "postgres must not be null");
        requireNonNull(httpHost, "httpHost must not be null");
        requireNonNull(idempotencyTtl, "idempotencyTtl must not be null");
        requireNonNull(healthCheckTimeout, "healthCheckTimeout must not be null");
        requireNonNull(commandBaseBackoff, "commandBaseBackoff must not be null");
        requireNonNull(commandMaxBackoff, "commandMaxBackoff must not be null");
        requireNonNull(shutdownTimeout, "shutdownTimeout must not be null");
        requireNonNull(httpSecurity, "httpSecurity must not be null");
    }

    /** True when {@link #httpHost()} is a loopback address, so nothing outside this machine can connect. */
    public boolean httpHostIsLoopback() {
        return isLoopbackHost(httpHost);
    }

    /**
     * The configuration of code that embeds Cairn: {@code settings} by key (e.g. {@code cairn.store} to
     * {@code memory}), over the defaults; JVM system properties still apply, the environment does not.
     *
     * @throws InvalidConfigException naming the offending key
     */
    public static CairnConfig of(Map<String, String> settings) {
        Map<String, String> asEnvironment = new HashMap<>();
        settings.forEach((key, value) -> asEnvironment.put(environmentVariableOf(requireNonNull(key, "key")),
                requireNonNull(value, "value of " + key)));
        return load(Optional.empty(), asEnvironment);
    }

    /**
     * Loads the configuration.
     *
     * @param file        a config file, if one was named
     * @param environment the process environment (a map, so tests can pass their own)
     * @throws InvalidConfigException naming the offending key and the source's text, for any missing, malformed
     *                                or out-of-range value
     */
    public static CairnConfig load(Optional<Path> file, Map<String, String> environment) {
        Config reference = ConfigFactory.defaultReference();
        Config fromFile = ConfigFactory.empty();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.isReadable(path)) {
                throw new InvalidConfigException("config file " + path + " does not exist or cannot be read");
            }
            try {
                fromFile = ConfigFactory.parseFile(path.toFile());
            } catch (ConfigException e) {
                throw new InvalidConfigException("config file " + path + ": " + e.getMessage());
            }
        }
        Config config = fromEnvironment(reference, environment)
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(fromFile)
                .withFallback(reference)
                .resolve();
        try {
            for (String key : config.getConfig("cairn").root().keySet()) {
                checkKnown(reference, config, "cairn." + key);
            }
            return from(config.getConfig("cairn"));
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** A key that the reference does not know is a typo: refuse it rather than ignore it. */
    private static void checkKnown(Config reference, Config config, String path) {
        if (!reference.hasPathOrNull(path)) {
            throw new InvalidConfigException("unknown configuration key " + path
                    + " (from " + config.getValue(path).origin().description() + ")");
        }
        if (config.getValue(path) instanceof com.typesafe.config.ConfigObject object) {
            for (String child : object.keySet()) {
                checkKnown(reference, config, path + "." + child);
            }
        }
    }

    /** The environment variable that sets {@code path}, e.g. {@code CAIRN_HTTP_PORT} for {@code cairn.http.port}. */
    public static String environmentVariableOf(String path) {
        String key = path.startsWith("cairn.") ? path.substring("cairn.".length()) : path;
        return "CAIRN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Config fromEnvironment(Config reference, Map<String, String> environment) {
        Map<String, String> overrides = new HashMap<>();
        for (Map.Entry<String, ConfigValue> entry : reference.getConfig("cairn").entrySet()) {
            String path = "cairn." + entry.getKey();
            String value = environment.get(environmentVariableOf(path));
            if (value != null) {
                overrides.put(path, value);
            }
        }
        return ConfigFactory.parseMap(overrides, "environment variables");
    }

    private static CairnConfig from(Config c) {
        StoreKind store = read(c, "store", () -> storeKind(c.getString("store")));
        HttpSecurity security = httpSecurity(c);
        return new CairnConfig(
                store,
                read(c, "data-dir", () -> Path.of(nonBlank(c, "data-dir"))),
                dynamoDb(c),
                postgres(c, store),
                httpHost(c, security),
                read(c, "http.port", () -> inRange(c, "http.port", 0, 65_535)),
                read(c, "http.max-request-bytes", () -> positiveBytes(c, "http.max-request-bytes")),
                read(c, "http.idempotency-cache-size", () -> inRange(c, "http.idempotency-cache-size", 1, Integer.MAX_VALUE)),
                read(c, "http.idempotency-ttl", () -> positive(c, "http.idempotency-ttl")),
                read(c, "http.health-check-timeout", () -> positive(c, "http.health-check-timeout")),
                read(c, "commands.max-attempts", () -> inRange(c, "commands.max-attempts", 1, 1_000)),
                read(c, "commands.base-backoff", () -> nonNegative(c, "commands.base-backoff")),
                read(c, "commands.max-backoff", () -> nonNegative(c, "commands.max-backoff")),
                read(c, "views.cache-size", () -> inRange(c, "views.cache-size", 0, Integer.MAX_VALUE)),
                projection(c),
                read(c, "shutdown.timeout", () -> positive(c, "shutdown.timeout")),
                domains(c),
                security);
    }

    /** Empty: loopback without authentication (nothing else can reach an open server), all interfaces with it. */
    private static String httpHost(Config c, HttpSecurity security) {
        String host = read(c, "http.host", () -> c.getString("http.host").trim());
        if (!host.isEmpty()) {
            return host;
        }
        return security.authentication().identifiesCallers() ? "0.0.0.0" : "127.0.0.1";
    }

    private static HttpSecurity httpSecurity(Config c) {
        String mode = read(c, "auth.mode", () -> c.getString("auth.mode").trim().toLowerCase(Locale.ROOT));
        Authentication authentication = switch (mode) {
            case "none" -> new Authentication.None();
            case "api-keys" -> apiKeys(c);
            case "jwt" -> jwt(c);
            default -> throw bad("auth.mode", "must be none, api-keys or jwt, was '" + mode + "'");
        };
        String metrics = read(c, "http.metrics-access", () -> c.getString("http.metrics-access").trim());
        Access metricsAccess = switch (metrics.toLowerCase(Locale.ROOT)) {
            case "open" -> Access.OPEN;
            case "read" -> Access.READ;
            default -> throw bad("http.metrics-access", "must be open or read, was '" + metrics + "'");
        };
        String keystore = read(c, "http.tls.keystore", () -> c.getString("http.tls.keystore").trim());
        Optional<TlsConfig> tls = Optional.empty();
        if (!keystore.isEmpty()) {
            TlsConfig config = new TlsConfig(Path.of(keystore),
                    read(c, "http.tls.keystore-password", () -> c.getString("http.tls.keystore-password")));
            try {
                config.check();
            } catch (IllegalArgumentException e) {
                throw bad("http.tls.keystore", e.getMessage());
            }
            tls = Optional.of(config);
        }
        long rate = read(c, "limits.requests-per-second", () -> inRange(c, "limits.requests-per-second", 0, 1_000_000));
        long burst = read(c, "limits.request-burst", () -> inRange(c, "limits.request-burst", 1, 10_000_000));
        Limits limits = new Limits(rate, burst,
                read(c, "limits.feed-subscribers", () -> inRange(c, "limits.feed-subscribers", 1, 100_000)),
                read(c, "limits.events-per-commit", () -> inRange(c, "limits.events-per-commit", 1, 1_000_000)),
                read(c, "limits.event-bytes", () -> positiveBytes(c, "limits.event-bytes")));
        return new HttpSecurity(authentication, metricsAccess, tls, limits);
    }

    private static Authentication apiKeys(Config c) {
        String file = read(c, "auth.api-keys-file", () -> c.getString("auth.api-keys-file").trim());
        if (file.isEmpty()) {
            throw bad("auth.api-keys-file", "must name the API key file when cairn.auth.mode is api-keys");
        }
        Path path = Path.of(file);
        try {
            ApiKeys.read(path);
        } catch (ApiKeys.InvalidApiKeyFileException e) {
            throw bad("auth.api-keys-file", e.getMessage());
        }
        return new Authentication.ApiKeys(path);
    }

    private static Authentication jwt(Config c) {
        String jwksUrl = read(c, "auth.jwt.jwks-url", () -> c.getString("auth.jwt.jwks-url").trim());
        String keyFile = read(c, "auth.jwt.public-key-file", () -> c.getString("auth.jwt.public-key-file").trim());
        if (jwksUrl.isEmpty() == keyFile.isEmpty()) {
            throw bad("auth.jwt.jwks-url", "or cairn.auth.jwt.public-key-file (CAIRN_AUTH_JWT_PUBLIC_KEY_FILE): "
                    + "exactly one must be set when cairn.auth.mode is jwt");
        }
        String issuer = read(c, "auth.jwt.issuer", () -> c.getString("auth.jwt.issuer").trim());
        if (issuer.isEmpty()) {
            throw bad("auth.jwt.issuer", "must be set when cairn.auth.mode is jwt: tokens of any issuer would pass");
        }
        String audience = read(c, "auth.jwt.audience", () -> c.getString("auth.jwt.audience").trim());
        if (audience.isEmpty()) {
            throw bad("auth.jwt.audience", "must be set when cairn.auth.mode is jwt: tokens for any service would pass");
        }
        Authentication.Jwt jwt = new Authentication.Jwt(
                jwksUrl.isEmpty() ? Optional.empty() : Optional.of(read(c, "auth.jwt.jwks-url",
                        () -> httpUri("auth.jwt.jwks-url", jwksUrl))),
                keyFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(keyFile)),
                issuer, audience,
                read(c, "auth.jwt.roles-claim", () -> nonBlank(c, "auth.jwt.roles-claim").trim()),
                read(c, "auth.jwt.principal-claim", () -> nonBlank(c, "auth.jwt.principal-claim").trim()));
        try {
            jwt.check();
        } catch (IllegalArgumentException e) {
            throw bad(keyFile.isEmpty() ? "auth.jwt.jwks-url" : "auth.jwt.public-key-file", e.getMessage());
        }
        return jwt;
    }

    private static DomainsConfig domains(Config c) {
        String plugins = read(c, "plugins", () -> c.getString("plugins").trim());
        String only = read(c, "domains", () -> c.getString("domains").trim());
        Set<String> names = new LinkedHashSet<>();
        for (String name : only.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        Optional<Path> directory = Optional.empty();
        if (!plugins.isEmpty()) {
            Path path = read(c, "plugins", () -> Path.of(plugins));
            if (!Files.isDirectory(path)) {
                throw bad("plugins", "must name a directory of plugin jars; '" + plugins + "' is none");
            }
            directory = Optional.of(path);
        }
        return new DomainsConfig(directory, names);
    }

    private static ProjectionConfig projection(Config c) {
        int ringSize = read(c, "projection.ring-size", () -> inRange(c, "projection.ring-size", 2, 1 << 24));
        if (Integer.bitCount(ringSize) != 1) {
            throw bad("projection.ring-size", "must be a power of two, was " + ringSize);
        }
        return new ProjectionConfig(ringSize,
                read(c, "projection.shards", () -> inRange(c, "projection.shards", 1, 64)),
                read(c, "projection.gap-wait", () -> nonNegative(c, "projection.gap-wait")),
                read(c, "projection.fast-channel", () -> c.getBoolean("projection.fast-channel")),
                read(c, "projection.failure-attempts", () -> inRange(c, "projection.failure-attempts", 1, 100)),
                read(c, "projection.failure-backoff", () -> nonNegative(c, "projection.failure-backoff")));
    }

    private static DynamoDbConfig dynamoDb(Config c) {
        String endpointText = read(c, "dynamodb.endpoint", () -> c.getString("dynamodb.endpoint").trim());
        boolean embedded = endpointText.isEmpty();
        Optional<URI> endpoint = embedded || endpointText.equalsIgnoreCase("aws")
                ? Optional.empty()
                : Optional.of(read(c, "dynamodb.endpoint", () -> httpUri("dynamodb.endpoint", endpointText)));
        String createTables = read(c, "dynamodb.create-tables", () -> c.getString("dynamodb.create-tables").trim());
        boolean create = switch (createTables.toLowerCase(Locale.ROOT)) {
            case "auto" -> embedded || endpoint.map(CairnConfig::isLoopback).orElse(false);
            case "true" -> true;
            case "false" -> false;
            default -> throw bad("dynamodb.create-tables", "must be auto, true or false, was '" + createTables + "'");
        };
        DynamoDbConfig dynamo = new DynamoDbConfig(endpoint, embedded,
                read(c, "dynamodb.region", () -> c.getString("dynamodb.region").trim()),
                read(c, "dynamodb.table-prefix", () -> c.getString("dynamodb.table-prefix")),
                create,
                read(c, "dynamodb.streams-poll-interval", () -> c.getDuration("dynamodb.streams-poll-interval")));
        checkedByAdapter("dynamodb", () -> dynamo.settings(dynamo.endpoint()));
        return dynamo;
    }

    private static PostgresConfig postgres(Config c, StoreKind store) {
        String url = read(c, "postgres.url", () -> c.getString("postgres.url").trim());
        if (store == StoreKind.POSTGRES && !url.startsWith("jdbc:postgresql:")) {
            throw bad("postgres.url", url.isEmpty()
                    ? "must be set when cairn.store is postgres, e.g. jdbc:postgresql://localhost:5432/cairn"
                    : "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), was '" + url + "'");
        }
        PostgresConfig postgres = new PostgresConfig(url,
                read(c, "postgres.user", () -> c.getString("postgres.user")),
                read(c, "postgres.password", () -> c.getString("postgres.password")),
                read(c, "postgres.schema", () -> c.getString("postgres.schema")),
                read(c, "postgres.pool-size", () -> inRange(c, "postgres.pool-size", 1, 1_000)),
                read(c, "postgres.migrate", () -> c.getBoolean("postgres.migrate")),
                read(c, "postgres.poll-interval", () -> c.getDuration("postgres.poll-interval")),
                read(c, "postgres.poll-batch-size", () -> c.getInt("postgres.poll-batch-size")));
        if (store == StoreKind.POSTGRES) {
            checkedByAdapter("postgres", postgres::settings);
        }
        return postgres;
    }

    /**
     * Builds an adapter's settings, whose constructor holds the rules for their values, and turns a refusal into a
     * message naming the key: the adapter names the field it refused ({@link InvalidSettingException#field()}).
     */
    private static void checkedByAdapter(String group, Runnable build) {
        try {
            build.run();
        } catch (InvalidSettingException e) {
            String key = ADAPTER_FIELDS.get(group + "." + e.field());
            throw key == null ? new InvalidConfigException("cairn." + group + ": " + e.getMessage()) : bad(key, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("cairn." + group + ": " + e.getMessage());
        }
    }

    private static URI httpUri(String path, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw bad(path, "is not a URL: " + e.getMessage());
        }
    }

    private static boolean isLoopback(URI uri) {
        return isLoopbackHost(uri.getHost());
    }

    private static boolean isLoopbackHost(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    /** Reads one key, turning the library's message into one that names the key and its environment variable. */
    private static <T> T read(Config c, String path, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException e) {
            String value = c.hasPath(path) ? c.getValue(path).render() : "nothing";
            throw bad(path, "has an invalid value " + value + " (" + e.getMessage() + ")");
        }
    }

    private static StoreKind storeKind(String value) {
        try {
            return StoreKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("cairn.store (" + environmentVariableOf("cairn.store") + ") must be one of"
                    + " memory, dynamodb, postgres; was '" + value + "'");
        }
    }

    private static String nonBlank(Config c, String path) {
        String value = c.getString(path);
        if (value.isBlank()) {
            throw bad(path, "must not be blank");
        }
        return value;
    }

    private static int inRange(Config c, String path, long min, long max) {
        long value = c.getLong(path);
        if (value < min || value > max) {
            throw bad(path, "must be between " + min + " and " + max + ", was " + value);
        }
        return (int) value;
    }

    private static long positiveBytes(Config c, String path) {
        long value = c.getBytes(path);
        if (value <= 0) {
            throw bad(path, "must be positive, was " + value);
        }
        return value;
    }

    private static Duration positive(Config c, String path) {
        Duration value = c.getDuration(path);
        if (value.isZero() || value.isNegative()) {
            throw bad(path, "must be positive, was " + value);
        }
        return value;
    }

    private static Duration nonNegative(Config c, String path) {
        Duration value = c.getDuration(path);
        if (value.isNegative()) {
            throw bad(path, "must not be negative, was " + value);
        }
        return value;
    }

    private static InvalidConfigException bad(String path, String message) {
        String full = "cairn." + path;
        return new InvalidConfigException(full + " (" + environmentVariableOf(full) + ") " + message);
    }

    /** The configuration cannot be used; the message names the key. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
