package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogbackDefaultsTest {

    @Test
    void without_a_configuration_file_it_sets_up_what_logback_xml_said() {
        LoggerContext context = new LoggerContext();
        ExecutionStatus status = new LogbackDefaults(resource -> false, name -> Optional.empty()).configure(context);

        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
        assertThat(console.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
                .isEqualTo("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.javalin").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.amazonaws").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.amazonaws.services.dynamodbv2.local").getLevel()).isEqualTo(Level.ERROR);
    }

    @Test
    void cairn_log_level_sets_the_root_level() {
        LoggerContext context = new LoggerContext();
        Map<String, String> variables = Map.of("CAIRN_LOG_LEVEL", "warn");
        new LogbackDefaults(resource -> false, name -> Optional.ofNullable(variables.get(name))).configure(context);

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(LogbackDefaults.rootLevel(Optional.of("ERROR"))).isEqualTo(Level.ERROR);
        assertThat(LogbackDefaults.rootLevel(Optional.of(" "))).isEqualTo(Level.INFO);
        assertThat(LogbackDefaults.rootLevel(Optional.of("loud"))).isEqualTo(Level.DEBUG); // as logback reads it
    }

    @Test
    void a_configuration_file_of_the_deployment_wins() {
        for (String file : new String[] {"logback.xml", "logback-test.xml"}) {
            LoggerContext context = new LoggerContext();
            ExecutionStatus status = new LogbackDefaults(file::equals, name -> Optional.empty()).configure(context);

            assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
        }
        LoggerContext context = new LoggerContext();
        ExecutionStatus status = new LogbackDefaults(resource -> false,
                name -> name.equals("logback.configurationFile") ? Optional.of("/etc/cairn/logback.xml")
                        : Optional.empty()).configure(context);
        assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    @Test
    void logback_finds_it_as_a_service() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(ServiceLoader.Provider::type)).contains(LogbackDefaults.class);
    }
}
