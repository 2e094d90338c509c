package io.cairn.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Cairn's logging, set up in code: what a {@code logback.xml} would say, without logback's XML configuration (its
 * parser and model classes cost about a fifth of a second of the jar's start-up). One console appender on stdout,
 * {@code HH:mm:ss.SSS LEVEL [thread] logger - message}; the root level from {@code CAIRN_LOG_LEVEL} (a system
 * property, then the environment; default {@code INFO}); Jetty, Javalin and DynamoDB Local's SDK quieter.
 *
 * <p>Found by logback through {@code META-INF/services}. It steps aside, and logback configures itself as usual,
 * when the system property {@code logback.configurationFile} is set or a {@code logback-test.xml} or
 * {@code logback.xml} is on the class path: a deployment or an application that embeds Cairn keeps its own.
 * Logback calls it once, on the thread that first asks for a logger.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

    /** The layout every line has. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
    /** The variable (system property or environment) naming the root level. */
    static final String LEVEL_VARIABLE = "CAIRN_LOG_LEVEL";
    /** Libraries logged at a higher level than the root's. */
    static final Map<String, Level> QUIETER = Map.of(
            "org.eclipse.jetty", Level.WARN,
            // DynamoDB Local logs every failed condition (which Cairn causes on purpose) with a stack trace
            "com.amazonaws.services.dynamodbv2.local", Level.ERROR,
            "com.amazonaws", Level.WARN,
            "io.javalin", Level.WARN);

    private final Predicate<String> onClassPath;
    private final Function<String, Optional<String>> variables;

    /** For logback's service loader: this class's class path, system properties, then the environment. */
    public LogbackDefaults() {
        this(LogbackDefaults::onClassPath, name -> Optional.ofNullable(System.getProperty(name))
                .or(() -> Optional.ofNullable(System.getenv(name))));
    }

    /** For tests: what is on the class path, and the variables. */
    LogbackDefaults(Predicate<String> onClassPath, Function<String, Optional<String>> variables) {
        this.onClassPath = onClassPath;
        this.variables = variables;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (variables.apply("logback.configurationFile").isPresent() || onClassPath.test("logback-test.xml")
                || onClassPath.test("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(variables.apply(LEVEL_VARIABLE)));
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named (case-insensitive), {@code INFO} when none is, {@code DEBUG} for a name logback does not know. */
    static Level rootLevel(Optional<String> name) {
        // what logback.xml's ${CAIRN_LOG_LEVEL:-INFO} did: an unknown name is DEBUG, as logback reads it
        return name.map(String::trim).filter(n -> !n.isEmpty()).map(n -> Level.toLevel(n, Level.DEBUG))
                .orElse(Level.INFO);
    }

    private static boolean onClassPath(String resource) {
        ClassLoader loader = LogbackDefaults.class.getClassLoader();
        return loader != null && loader.getResource(resource) != null;
    }
}
