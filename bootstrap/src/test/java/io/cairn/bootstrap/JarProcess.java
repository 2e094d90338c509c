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

/** The shaded jar as a child process: start it, read its output, talk HTTP to it, stop it with SIGTERM. */
final class JarProcess {

    static final Pattern SERVING = Pattern.compile("serving HTTP on [^:]+:(\\d+)");

    private JarProcess() {
    }

    static HttpResponse<String> send(int port, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void stopWithSigterm(Process process, List<String> output) throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(process.exitValue()).isIn(0, 143);
        awaitLine(output, "stopped http", process);
        awaitLine(output, "stopped projector", process);
        assertThat(String.join("\n", output)).doesNotContain("Exception");
    }

    static List<String> drain(Process process) {
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

    static int awaitPort(List<String> output, Process process) throws InterruptedException {
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

    static void awaitLine(List<String> output, String text, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (output.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line containing '" + text + "'; output:\n" + String.join("\n", output));
    }

    static Process start(Path jar, Path dir, List<String> args, String... env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the jar's own temporary files (DynamoDB Local's native library) go into its folder: a jar killed with
        // SIGKILL cannot delete them itself
        Path temporary = Files.createDirectories(dir.resolve("tmp"));
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + temporary, "-jar",
                jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        builder.directory(dir.toFile());
        return builder.start();
    }
}
