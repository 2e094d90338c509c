package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as a user runs it: {@code java -jar cairn.jar}, in a child process, stopped with SIGTERM.
 */
class RunnableJarIT {

    private static final Pattern SERVING = Pattern.compile("serving HTTP on [^:]+:(\\d+)");

    private final Path jar = Path.of(System.getProperty("cairn.jar", "target/cairn.jar"));

    @Test
    void the_jar_serves_http_and_stops_cleanly_on_sigterm() throws Exception {
        assertThat(jar).exists();
        Process process = start(List.of(), "CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1");
        List<String> output = drain(process);
        try {
            int port = awaitPort(output, process);
            HttpClient http = HttpClient.newHttpClient();
            String account = UUID.randomUUID().toString();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> opened = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/accounts/" + account + "/open"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(opened.statusCode()).isEqualTo(200);
            assertThat(String.join("\n", output)).contains("in-memory");
        } finally {
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        }
        assertThat(process.exitValue()).isIn(0, 143);
        awaitLine(output, "stopped", process);
        awaitLine(output, "stopped http", process);
        assertThat(String.join("\n", output)).contains("stopped projector").doesNotContain("Exception");
    }

    @Test
    void a_bad_configuration_exits_with_code_2_and_names_the_key() throws Exception {
        Process process = start(List.of(), "CAIRN_HTTP_PORT", "not-a-port");
        List<String> output = drain(process);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        awaitLine(output, "CAIRN_HTTP_PORT", process);
    }

    @Test
    void help_lists_the_options() throws Exception {
        Process process = start(List.of("--help"));
        List<String> output = drain(process);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        awaitLine(output, "--config", process);
    }

    private Process start(List<String> args, String... env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        builder.directory(Files.createTempDirectory("cairn-jar").toFile());
        return builder.start();
    }

    private static List<String> drain(Process process) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread drainer = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "jar-output");
        drainer.setDaemon(true);
        drainer.start();
        return lines;
    }

    private static int awaitPort(List<String> output, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no 'serving HTTP' line; output:\n" + String.join("\n", output));
    }

    private static void awaitLine(List<String> output, String text, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line containing '" + text + "'; output:\n" + String.join("\n", output));
    }
}
