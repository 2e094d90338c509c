package io.cairn.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cairn projections rebuild} following a rebuild to its end, against a small local HTTP stub of the contract
 * (the JDK's server): it posts the rebuild, then reads {@code GET /projections} until the new generation is the one
 * queries read (exit 0) or it stopped (exit 1); the stub reports two progress steps and then the switch.
 */
class RebuildFollowingTest {

    private static final String STARTED =
            "{\"projection\":\"owners\",\"generation\":2,\"version\":1,\"state\":\"rebuilding\"}";

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void off_a_terminal_it_prints_progress_lines_until_queries_read_the_new_generation() throws Exception {
        serve(202, STARTED, step(1, rebuilding(10, 5.0, 18.0)), step(1, rebuilding(60, 25.0, 1.6)), step(2, ""));

        Cli cli = Cli.run("projections", "rebuild", "owners", "--url", url(), "--progress", "lines",
                "--poll-millis", "1", "--line-millis", "0");

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.out()).contains("rebuilding projection owners into generation 2 (version 1)")
                .contains("rebuild owners: generation 2 rebuilding: 10/100 commits (10.0%), 5.0/s, ETA 18.0 s")
                .contains("rebuild owners: generation 2 rebuilding: 60/100 commits (60.0%), 25.0/s, ETA 1.6 s")
                .endsWith("projection owners rebuilt: queries read generation 2\n");
        assertThat(requests).startsWith("POST /projections/owners/rebuild", "GET /projections");
    }

    @Test
    void on_a_terminal_it_draws_a_progress_bar() throws Exception {
        serve(202, STARTED, step(1, rebuilding(10, 5.0, 18.0)), step(1, rebuilding(60, 25.0, 1.6)), step(2, ""));
        PrintStream original = System.err;
        ByteArrayOutputStream drawn = new ByteArrayOutputStream();
        Cli cli;
        System.setErr(new PrintStream(drawn, true, StandardCharsets.UTF_8));
        try {
            cli = Cli.run("projections", "rebuild", "owners", "--url", url(), "--progress", "bar",
                    "--poll-millis", "1");
        } finally {
            System.setErr(original);
        }

        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(drawn.toString(StandardCharsets.UTF_8)).contains("owners → gen 2").contains("100%")
                .contains("100/100 commits");
        assertThat(cli.out()).contains("projection owners rebuilt: queries read generation 2");
    }

    @Test
    void a_new_generation_that_stopped_ends_it_with_exit_1_and_the_failure() throws Exception {
        serve(202, STARTED, step(1, rebuilding(10, 5.0, 18.0)), step(1, """
                ,"rebuild":{"generation":2,"version":1,"state":"stopped","done":17,"total":100,"ratePerSecond":0.0,
                "startedAt":"2026-12-01T12:00:00Z","failure":{"stream":"account-42","revision":3,"position":17,
                "error":"IllegalStateException: boom","at":"2026-12-01T12:00:01Z"}}"""));

        Cli cli = Cli.run("projections", "rebuild", "owners", "--url", url(), "--progress", "lines",
                "--poll-millis", "1", "--line-millis", "0");

        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
        assertThat(cli.err()).contains("cairn: the rebuild of projection owners into generation 2 stopped at "
                + "account-42@3 (position 17): IllegalStateException: boom; queries still read generation 1");
        assertThat(cli.out()).contains("generation 2 stopped: 17/100 commits");
    }

    @Test
    void a_server_without_rebuilds_is_a_clear_501_and_one_rebuilding_already_a_409() throws Exception {
        serve(501, problem(501, "rebuild-unsupported", "this server cannot rebuild projections"));
        Cli unsupported = Cli.run("projections", "rebuild", "owners", "--url", url());
        assertThat(unsupported.exitCode()).as(unsupported.toString()).isEqualTo(7);
        assertThat(unsupported.err()).contains("cairn: cannot rebuild projection owners: this server does not "
                + "support it (501: this server cannot rebuild projections)");
        server.stop(0);

        serve(409, problem(409, "rebuild-in-progress", "projection owners is rebuilding generation 2"));
        Cli busy = Cli.run("projections", "rebuild", "owners", "--url", url());
        assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(6);
        assertThat(busy.err()).contains("cannot rebuild projection owners (rebuild-in-progress): projection owners "
                + "is rebuilding generation 2");
    }

    /** {@code GET /projections} with owners at {@code generation}, plus {@code more} members. */
    private static String step(long generation, String more) {
        return "{\"projections\":[{\"name\":\"owners\",\"kind\":\"documents\",\"follows\":[\"account\"],"
                + "\"ordering\":\"global-position\",\"checkpoint\":\"100\",\"commitsBehind\":0,\"lagMillis\":0,"
                + "\"state\":\"running\",\"skipped\":[],\"generation\":" + generation + ",\"version\":1" + more
                + "}]}";
    }

    private static String rebuilding(long done, double rate, double eta) {
        return ",\"rebuild\":{\"generation\":2,\"version\":1,\"state\":\"rebuilding\",\"done\":" + done
                + ",\"total\":100,\"ratePerSecond\":" + rate + ",\"etaSeconds\":" + eta
                + ",\"startedAt\":\"2026-12-01T12:00:00Z\"}";
    }

    private static String problem(int status, String slug, String detail) {
        return "{\"type\":\"urn:cairn:problem:" + slug + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
    }

    /** The stub: the rebuild POST answers {@code status} {@code body}; each GET the next step, the last one after. */
    private void serve(int status, String body, String... steps) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger step = new AtomicInteger();
        server.createContext("/projections", exchange -> {
            synchronized (requests) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            }
            if (exchange.getRequestMethod().equals("POST")) {
                answer(exchange, status, status >= 400 ? "application/problem+json" : "application/json", body);
            } else {
                int next = Math.min(step.getAndIncrement(), steps.length - 1);
                answer(exchange, 200, "application/json", steps[next]);
            }
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
