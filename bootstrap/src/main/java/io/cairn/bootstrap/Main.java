package io.cairn.bootstrap;

import io.cairn.bootstrap.CairnConfig.InvalidConfigException;
import io.cairn.bootstrap.cli.ProjectionsCommand;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar cairn.jar [--config FILE]}: serves Cairn's HTTP API until SIGTERM or Ctrl-C.
 * {@code java -jar cairn.jar projections list|rebuild|retry|skip ...}: operates the projections of a running one
 * ({@link ProjectionsCommand}).
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
        subcommands = ProjectionsCommand.class,
        description = "Event sourcing and CQRS engine: serves the HTTP API until stopped (SIGTERM, Ctrl-C).%n"
                + "Every setting can also be given as an environment variable CAIRN_<KEY>, e.g. CAIRN_HTTP_PORT=9090.")
public final class Main implements Callable<Integer> {

    /** Exit code for a configuration that cannot be used, a bad plugin or a domain that cannot register. */
    static final int EXIT_BAD_CONFIG = 2;
    /** Exit code for a failed start-up. */
    static final int EXIT_START_FAILED = 1;

    /** Logback setting itself up, started first thing by {@link #main}; joined before the first line is logged. */
    private static volatile Thread loggingSetUp;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "a HOCON, JSON or .properties file with cairn.* settings (or set CAIRN_CONFIG)")
    private Path configFile;

    public static void main(String[] args) {
        // logback sets itself up on a thread of its own while this one reads the configuration, which logs nothing
        Thread logging = new Thread(LoggerFactory::getILoggerFactory, "cairn-logging-init");
        logging.setDaemon(true);
        logging.start();
        loggingSetUp = logging;
        // no arguments, the common case: serve at once, without building picocli's model of every subcommand
        int exit = args.length == 0 ? serve() : new CommandLine(new Main()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** {@code java -jar cairn.jar} without arguments: what picocli would run, with its exit code for a failure. */
    private static int serve() {
        try {
            return new Main().call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /**
     * This class's logger, once logging is set up: nothing may log before, or SLF4J would hand out stand-ins and
     * report on stderr that it replayed their lines.
     */
    private static Logger logger() throws InterruptedException {
        Thread setUp = loggingSetUp;
        if (setUp != null) {
            setUp.join();
        }
        return LoggerFactory.getLogger(Main.class);
    }

    @Override
    public Integer call() throws InterruptedException {
        CairnConfig config;
        Cairn cairn;
        try {
            Optional<Path> file = Optional.ofNullable(configFile)
                    .or(() -> Optional.ofNullable(System.getenv(CairnConfig.CONFIG_FILE_ENV)).map(Path::of));
            config = CairnConfig.load(file, System.getenv());
            logger(); // set up before Cairn logs
            cairn = Cairn.start(config);
        } catch (InvalidConfigException e) {
            System.err.println("cairn: invalid configuration: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (DomainLoadingException e) {
            System.err.println("cairn: cannot load the domains: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (Exception e) {
            logger().error("cairn could not start", e);
            return EXIT_START_FAILED;
        }
        Logger logger = logger();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            logger.info("shutting down");
            Thread stopper = new Thread(cairn::stop, "cairn-stop");
            stopper.start();
            try {
                stopper.join(config.shutdownTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopper.isAlive()) {
                logger.warn("not stopped within {}; exiting anyway", config.shutdownTimeout());
            } else {
                logger.info("stopped");
            }
            stopped.countDown();
        }, "cairn-shutdown"));
        stopped.await();
        return 0;
    }
}
