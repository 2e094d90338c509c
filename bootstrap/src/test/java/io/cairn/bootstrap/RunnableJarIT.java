package io.cairn.bootstrap;

import static io.cairn.bootstrap.JarProcess.awaitLine;
import static io.cairn.bootstrap.JarProcess.awaitPort;
import static io.cairn.bootstrap.JarProcess.drain;
import static io.cairn.bootstrap.JarProcess.send;
import static io.cairn.bootstrap.JarProcess.stopWithSigterm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

    private final Path jar = Path.of(System.getProperty("cairn.jar", "target/cairn.jar"));

    @Test
    void the_jar_serves_on_its_embedded_dynamodb_stops_cleanly_on_sigterm_and_keeps_its_data() throws Exception {
        assertThat(jar).exists();
        Path dir = ScratchFolders.create("cairn-jar");
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
            assertThat(String.join("\n", output)).contains("an embedded DynamoDB Local in this process")
                    .doesNotContain("DynamoDB Local at http");
            // logging as LogbackDefaults sets it up in the jar (logback's fallback would log DEBUG, in another layout)
            assertThat(output).anyMatch(line -> line.matches(
                    "\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\[main] i\\.cairn\\.bootstrap\\.Cairn - Cairn is serving HTTP .*"));
            assertThat(output).noneMatch(line -> line.contains(" DEBUG "));
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
        return start(ScratchFolders.create("cairn-jar"), args, env);
    }

    private Process start(Path dir, List<String> args, String... env) throws Exception {
        return JarProcess.start(jar, dir, args, env);
    }








}
