package io.cairn.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary folders of the tests (a child jar's working directory, compiled plugins and snippets), deleted with
 * everything in them when the test JVM exits, so a run leaves nothing in the system's temporary folder. Deleted at
 * exit rather than after each test: a jar a test stopped may still be writing its last files. Thread-safe.
 */
final class ScratchFolders {

    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(ScratchFolders::deleteQuietly),
                "scratch-folders-cleanup"));
    }

    private ScratchFolders() {
    }

    /** A new, empty folder under the system's temporary folder, named {@code prefix} and a number. */
    static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        CREATED.add(folder);
        return folder;
    }

    /** Best effort: a file a process still holds, or one that cannot be deleted, stays. */
    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // left behind: nothing else to do while the JVM exits
        }
    }
}
