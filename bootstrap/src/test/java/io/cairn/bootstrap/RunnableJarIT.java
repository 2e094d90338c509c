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
    void the_jar_serves_on_its_embedded_dynamodb_stops_cleanly_on_sigterm_and_keeps_its_data() throws Exception {
        assertThat(jar).exists();
        Path dir = Files.createTempDirectory("cairn-jar");
        String account = UUID.randomUUID().toString();

        Process first = start(dir, List.of(), "CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1");
        List<String> output = drain(first);
        try {
            int port = awaitPort(output, first);
            assertThat(send(port, "GET", "/health", null).statusCode()).isEqualTo(200);
            assertThat(send(port, "POST", "/accounts/" + account + "/open",
                    "{\"owner\":\"Ada\",\"currency\":\"EUR\",\"overdraftLimit\":0}").statusCode()).isEqualTo(200);
            assertThat(send(port, "POST", "/accounts/" + account + "/deposit", "{\"amount\":40}").statusCode())
                    .isEqualTo(200);
            assertThat(String.join("\n", output)).contains("embedded DynamoDB Local");
        } finally {
            stopWithSigterm(first, output);
        }

        Process second = start(dir, List.of(), "CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1");
        List<String> again = drain(second);
        try {
            int port = awaitPort(again, second);
            HttpResponse<String> read = send(port, "GET", "/accounts/" + account + "?consistency=strong", null);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"balance\":40").contains("\"revision\":2");
        } finally {
            stopWithSigterm(second, again);
        }
        assertThat(dir.resolve("cairn-data").resolve("dynamodb")).isDirectory();
    }

    private static HttpResponse<String> send(int port, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stopWithSigterm(Process process, List<String> output) throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(process.exitValue()).isIn(0, 143);
        awaitLine(output, "stopped http", process);
        awaitLine(output, "stopped projector", process);
        assertThat(String.join("\n", output)).doesNotContain("Exception");
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
        return start(Files.createTempDirectory("cairn-jar"), args, env);
    }

    private Process start(Path dir, List<String> args, String... env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        builder.directory(dir.toFile());
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
