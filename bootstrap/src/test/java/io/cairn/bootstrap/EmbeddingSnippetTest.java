package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding snippet, exactly as a reader copies it: taken from README.md, compiled against Cairn's
 * modules and run. Its printed output must match the comment the README gives it.
 */
class EmbeddingSnippetTest {

    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- embedding-snippet -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PRINTS = Pattern.compile("// prints: (.*)");

    @Test
    void the_readme_snippet_compiles_and_prints_what_the_readme_says() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher snippet = SNIPPET.matcher(readme);
        assertThat(snippet.find()).as("README.md has an embedding snippet").isTrue();
        String source = snippet.group(1);
        Matcher prints = PRINTS.matcher(source);
        assertThat(prints.find()).as("the snippet says what it prints").isTrue();

        Path src = ScratchFolders.create("snippet-src");
        Path classes = ScratchFolders.create("snippet-classes");
        Path file = src.resolve("Embedded.java");
        Files.writeString(file, source);
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), "--release", "17", file.toString());
        assertThat(exit).as("the snippet compiles").isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass("Embedded").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(previous);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).contains(prints.group(1).trim());
    }
}
