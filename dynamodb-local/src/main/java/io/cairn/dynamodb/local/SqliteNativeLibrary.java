package io.cairn.dynamodb.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Makes sqlite4java's native library, which DynamoDB Local stores its tables with, loadable. The library is a
 * resource of this jar (copied in at build time), so it survives shading into one runnable jar; it is extracted
 * once per JVM to a fresh temporary folder that {@code sqlite4java.library.path} then names.
 */
final class SqliteNativeLibrary {

    static final String LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";
    private static final String RESOURCE_FOLDER = "/io/cairn/dynamodb/local/native/";

    private static boolean installed;

    private SqliteNativeLibrary() {
    }

    /**
     * Extracts the library unless this JVM already has a library path for sqlite4java (set by an earlier call or
     * by the user on the command line, which wins).
     *
     * @throws IllegalStateException when this platform has no library in the jar
     * @throws UncheckedIOException  when it cannot be extracted
     */
    static synchronized void install() {
        if (installed || System.getProperty(LIBRARY_PATH_PROPERTY) != null) {
            installed = true;
            return;
        }
        String name = libraryName();
        try (InputStream in = SqliteNativeLibrary.class.getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("DynamoDB Local needs sqlite4java's native library " + name
                        + ", which this build does not ship; set -D" + LIBRARY_PATH_PROPERTY
                        + " to a folder holding it");
            }
            Path folder = Files.createTempDirectory("cairn-sqlite4java-");
            Path library = folder.resolve(name);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit();
            folder.toFile().deleteOnExit();
            System.setProperty(LIBRARY_PATH_PROPERTY, folder.toString());
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract sqlite4java's native library " + name, e);
        }
    }

    /** The file name sqlite4java looks for on this platform; only Linux x86-64 is shipped. */
    private static String libraryName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return "libsqlite4java-linux-amd64.so";
        }
        throw new IllegalStateException("DynamoDB Local needs sqlite4java's native library, which this build ships "
                + "for Linux x86-64 only (this is " + os + "/" + arch + "); set -D" + LIBRARY_PATH_PROPERTY
                + " to a folder holding the library for this platform");
    }
}
