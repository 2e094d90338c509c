package io.cairn.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars for tests: Java sources compiled against the test's class path (Cairn's API included),
 * packed with a {@code META-INF/services/io.cairn.api.Domain} file, as a user's build would make them.
 */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param sources   class name (e.g. {@code shop.OrdersDomain}) to Java source
     * @param services  the lines of the services file; none: the jar has no services file
     */
    static Path jar(Path directory, String name, Map<String, String> sources, List<String> services)
            throws IOException {
        Path src = ScratchFolders.create("plugin-src");
        Path classes = ScratchFolders.create("plugin-classes");
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file.toString());
        }
        if (!files.isEmpty()) {
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                    System.getProperty("java.class.path"), "--release", "17"));
            args.addAll(files);
            int exit = javac.run(null, null, null, args.toArray(String[]::new));
            if (exit != 0) {
                throw new IllegalStateException("the plugin's sources do not compile");
            }
        }
        Path jar = directory.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            if (!services.isEmpty()) {
                out.putNextEntry(new JarEntry(DomainLoader.SERVICE_FILE));
                out.write(String.join("\n", services).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The source of a domain {@code className} that registers one aggregate at {@code collection} of {@code category}. */
    static String domain(String className, String domainName, String category, String collection, String extra) {
        int dot = className.lastIndexOf('.');
        String pkg = className.substring(0, dot);
        String simple = className.substring(dot + 1);
        return """
                package %s;

                import io.cairn.api.AggregateType;
                import io.cairn.api.CommandReader;
                import io.cairn.api.Domain;
                import io.cairn.api.DomainRegistry;
                import io.cairn.domain.Aggregate;
                import io.cairn.domain.Decision;

                public final class %s implements Domain {
                    public sealed interface Event { record Noted(String text) implements Event { } }
                    public record Note(String text) { }
                    public record State(int notes) { }

                    static final class Notes implements Aggregate<Note, Event, State> {
                        public String category() { return "%s"; }
                        public State initialState() { return new State(0); }
                        public Decision<Event> decide(Note note, State state) {
                            return Decision.accept(new Event.Noted(note.text()));
                        }
                        public State evolve(State state, Event event) { return new State(state.notes() + 1); }
                    }

                    public String name() { return "%s"; }

                    public void register(DomainRegistry registry) {
                        %s
                        registry.aggregate(AggregateType.builder(new Notes())
                                .collection("%s")
                                .command("note", CommandReader.json(Note.class))
                                .events(Event.class)
                                .state(State.class, 1)
                                .build());
                    }
                }
                """.formatted(pkg, simple, category, domainName, extra, collection);
    }
}
