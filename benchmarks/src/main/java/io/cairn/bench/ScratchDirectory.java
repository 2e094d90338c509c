package io.cairn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's own temporary folder (a service's data directory, logs), deleted with everything in it on
 * {@link #close}. Not thread-safe; one per run.
 */
final class ScratchDirectory implements AutoCloseable {

    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    /**
     * A new, empty folder under the system's temporary folder.
     *
     * @throws UncheckedIOException when it cannot be created
     */
    static ScratchDirectory create(String prefix) {
        try {
            return new ScratchDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder " + prefix + "…", e);
        }
    }

    Path path() {
        return path;
    }

    /**
     * Deletes the folder and everything in it; a folder already gone is fine.
     *
     * @throws UncheckedIOException when something in it cannot be deleted
     */
    @Override
    public void close() {
        deleteRecursively(path);
    }

    /** Deletes {@code root} and everything under it, deepest first; a root already gone is fine. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + p, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
