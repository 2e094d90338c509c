package io.cairn.bootstrap.cli;

import io.cairn.bootstrap.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code cairn ARGS} as {@code java -jar cairn.jar ARGS} does, in process, with its output captured. */
public record Cli(int exitCode, String out, String err) {

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nout:\n" + out + "\nerr:\n" + err;
    }
}
