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

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "a HOCON, JSON or .properties file with cairn.* settings (or set CAIRN_CONFIG)")
    private Path configFile;

    public static void main(String[] args) {
        int exit = new CommandLine(new Main()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        CairnConfig config;
        Cairn cairn;
        try {
            Optional<Path> file = Optional.ofNullable(configFile)
                    .or(() -> Optional.ofNullable(System.getenv(CairnConfig.CONFIG_FILE_ENV)).map(Path::of));
            config = CairnConfig.load(file, System.getenv());
            cairn = Cairn.start(config);
        } catch (InvalidConfigException e) {
            System.err.println("cairn: invalid configuration: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (DomainLoadingException e) {
            System.err.println("cairn: cannot load the domains: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (Exception e) {
            LOG.error("cairn could not start", e);
            return EXIT_START_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            Thread stopper = new Thread(cairn::stop, "cairn-stop");
            stopper.start();
            try {
                stopper.join(config.shutdownTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stopper.isAlive()) {
                LOG.warn("not stopped within {}; exiting anyway", config.shutdownTimeout());
            } else {
                LOG.info("stopped");
            }
            stopped.countDown();
        }, "cairn-shutdown"));
        stopped.await();
        return 0;
    }
}
