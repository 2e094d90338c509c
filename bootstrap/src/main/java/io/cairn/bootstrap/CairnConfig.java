package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
        Duration shutdownTimeout) {

    /** The environment variable naming a config file, as an alternative to {@code --config}. */
    public static final String CONFIG_FILE_ENV = "CAIRN_CONFIG";

    public enum StoreKind { MEMORY, DYNAMODB, POSTGRES }

    public CairnConfig {
        requireNonNull(store, "store must not be null");
        requireNonNull(httpHost, "httpHost must not be null");
        requireNonNull(idempotencyTtl, "idempotencyTtl must not be null");
        requireNonNull(healthCheckTimeout, "healthCheckTimeout must not be null");
        requireNonNull(commandBaseBackoff, "commandBaseBackoff must not be null");
        requireNonNull(commandMaxBackoff, "commandMaxBackoff must not be null");
        requireNonNull(shutdownTimeout, "shutdownTimeout must not be null");
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
        return new CairnConfig(
                read(c, "store", () -> storeKind(c.getString("store"))),
                read(c, "http.host", () -> nonBlank(c, "http.host")),
                read(c, "http.port", () -> inRange(c, "http.port", 0, 65_535)),
                read(c, "http.max-request-bytes", () -> positiveBytes(c, "http.max-request-bytes")),
                read(c, "http.idempotency-cache-size", () -> inRange(c, "http.idempotency-cache-size", 1, Integer.MAX_VALUE)),
                read(c, "http.idempotency-ttl", () -> positive(c, "http.idempotency-ttl")),
                read(c, "http.health-check-timeout", () -> positive(c, "http.health-check-timeout")),
                read(c, "commands.max-attempts", () -> inRange(c, "commands.max-attempts", 1, 1_000)),
                read(c, "commands.base-backoff", () -> nonNegative(c, "commands.base-backoff")),
                read(c, "commands.max-backoff", () -> nonNegative(c, "commands.max-backoff")),
                read(c, "views.cache-size", () -> inRange(c, "views.cache-size", 0, Integer.MAX_VALUE)),
                read(c, "shutdown.timeout", () -> positive(c, "shutdown.timeout")));
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
