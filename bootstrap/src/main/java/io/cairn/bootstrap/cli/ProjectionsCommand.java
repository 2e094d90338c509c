package io.cairn.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn projections list|rebuild|retry|skip}: an HTTP client of a running Cairn's projection operations
 * ({@code GET /projections}, {@code POST /projections/{name}/rebuild|retry|skip}). Exit codes: 0 done, 1 the
 * rebuild's new generation stopped, 2 bad usage, 3 the server cannot be reached, 4 refused (401/403), 5 not found
 * (404), 6 conflict (409), 7 anything else (501, 5xx).
 */
@Command(name = "projections", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
        description = "Operate the projections of a running Cairn over its HTTP API.",
        subcommands = {ProjectionsCommand.List.class, ProjectionsCommand.Rebuild.class,
                ProjectionsCommand.Retry.class, ProjectionsCommand.Skip.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the rebuild's new generation stopped", "2:bad usage",
                "3:the server cannot be reached", "4:refused (401, 403)", "5:not found (404)", "6:conflict (409)",
                "7:any other answer (501, 5xx)"})
public final class ProjectionsCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** Where the server is and how to authenticate: every subcommand's options. */
    static final class Server {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
                description = "the running Cairn (default: ${DEFAULT-VALUE})")
        URI url;

        @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:CAIRN_API_KEY}",
                description = "an API key (default: the environment's CAIRN_API_KEY)")
        String apiKey;

        @Option(names = "--bearer", paramLabel = "TOKEN", description = "a JWT, sent as a bearer token")
        String bearer;

        CairnClient client() {
            String base = url.toString();
            URI root = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
            Optional<String> credential = Optional.ofNullable(bearer).filter(s -> !s.isBlank())
                    .or(() -> Optional.ofNullable(apiKey).filter(s -> !s.isBlank()));
            return new CairnClient(root, credential);
        }
    }

    /** What every subcommand shares: the server, the output, failures as messages and exit codes. */
    abstract static class Operation implements Callable<Integer> {
        @Mixin
        Server server = new Server();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public final Integer call() {
            try {
                return run(server.client(), spec.commandLine().getOut());
            } catch (CliFailure e) {
                spec.commandLine().getErr().println("cairn: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return e.exitCode();
            } finally {
                spec.commandLine().getOut().flush();
            }
        }

        abstract int run(CairnClient client, PrintWriter out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
            description = "Every projection the server runs: its kind, state, checkpoint, commits behind, "
                    + "skipped commits, a failure or a rebuild under way.")
    static final class List extends Operation {
        @Override
        int run(CairnClient client, PrintWriter out) {
            JsonNode projections = client.projections();
            out.printf("%-28s %-15s %-12s %-6s %-14s %8s %8s%n", "NAME", "KIND", "STATE", "GEN", "CHECKPOINT",
                    "BEHIND", "SKIPPED");
            for (JsonNode projection : projections) {
                out.printf("%-28s %-15s %-12s %-6s %-14s %8d %8d%n", projection.path("name").asText(),
                        projection.path("kind").asText(), projection.path("state").asText(),
                        projection.has("generation") ? projection.path("generation").asText() : "-",
                        abbreviate(projection.path("checkpoint").isNull() ? "-"
                                : projection.path("checkpoint").asText("-"), 14),
                        projection.path("commitsBehind").asLong(), projection.path("skipped").size());
                JsonNode failure = projection.path("failure");
                if (!failure.isMissingNode()) {
                    out.println("    stopped at " + commit(failure) + " since " + failure.path("at").asText() + ": "
                            + failure.path("error").asText());
                }
                JsonNode rebuild = projection.path("rebuild");
                if (!rebuild.isMissingNode()) {
                    out.println("    rebuild: " + Progress.describe(rebuild));
                }
                for (JsonNode skipped : projection.path("skipped")) {
                    out.println("    skipped " + commit(skipped) + " at " + skipped.path("skippedAt").asText() + ": "
                            + skipped.path("error").asText());
                }
            }
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
            description = "Start a stopped projection again from its checkpoint: the commit it stopped at is tried "
                    + "again with the code the server runs now.")
    static final class Retry extends Operation {
        @Parameters(paramLabel = "NAME", description = "the projection")
        String name;

        @Override
        int run(CairnClient client, PrintWriter out) {
            client.operate(name, "retry", 200, "retry projection " + name);
            out.println("projection " + name + " runs again from its checkpoint; if the commit it stopped at fails "
                    + "again it stops again (see `cairn projections list`)");
            return 0;
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
            description = "Skip the commit a stopped document projection stopped at (recorded in its skip list, "
                    + "no document change), then start it again.")
    static final class Skip extends Operation {
        @Parameters(paramLabel = "NAME", description = "the document projection")
        String name;

        @Override
        int run(CairnClient client, PrintWriter out) {
            JsonNode skipped = client.operate(name, "skip", 200, "skip a commit of projection " + name)
                    .path("skipped");
            out.println("projection " + name + " skipped " + commit(skipped) + " (it had stopped there at "
                    + skipped.path("at").asText() + ": " + skipped.path("error").asText() + ") and runs again");
            return 0;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true, version = "Cairn 0.1.0",
            description = "Rebuild a projection into a new generation and follow it until queries read it: a "
                    + "progress bar on a terminal, a line every few seconds otherwise.")
    static final class Rebuild extends Operation {
        @Parameters(paramLabel = "NAME", description = "the projection")
        String name;

        @Option(names = "--progress", paramLabel = "auto|bar|lines", defaultValue = "auto",
                description = "how progress is shown: a bar (on a terminal, the default there) or lines")
        String progress;

        @Option(names = "--poll-millis", hidden = true, defaultValue = "500")
        long pollMillis;

        @Option(names = "--line-millis", hidden = true, defaultValue = "3000")
        long lineMillis;

        @Override
        int run(CairnClient client, PrintWriter out) {
            boolean bar = switch (progress.toLowerCase(Locale.ROOT)) {
                case "bar" -> true;
                case "lines" -> false;
                case "auto" -> System.console() != null;
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--progress is auto, bar or lines, not " + progress);
            };
            JsonNode started = client.operate(name, "rebuild", 202, "rebuild projection " + name);
            long generation = started.path("generation").asLong();
            out.println("rebuilding projection " + name + " into generation " + generation + " (version "
                    + started.path("version").asText() + ")");
            out.flush();
            PrintStream barStream = System.err;
            try (Progress shown = bar ? new Progress.Bar(name, generation, barStream)
                    : new Progress.Lines(name, generation, out, lineMillis)) {
                return new RebuildFollower(client, name, generation, pollMillis).follow(shown, out);
            }
        }
    }

    static String commit(JsonNode commit) {
        return commit.path("stream").asText() + "@" + commit.path("revision").asText()
                + (commit.has("position") ? " (position " + commit.path("position").asText() + ")" : "");
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
