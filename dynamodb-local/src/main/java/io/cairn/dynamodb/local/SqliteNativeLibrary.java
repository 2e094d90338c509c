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
 * once per JVM to a fresh temporary folder that {@code sqlite4java.library.path} then names, and which is deleted
 * with the library when the JVM exits normally (after SIGTERM too; a SIGKILL leaves it behind). DynamoDB Local's
 * embedded mode ({@link InProcessDynamoDb}) loads the library once more through a loader of its own, which would
 * extract a second copy from DynamoDB Local's jar; {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name} point
 * that loader at the same file, so one library is loaded.
 */
final class SqliteNativeLibrary {

    static final String LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";
    /** Where DynamoDB Local's embedded mode looks for the library first, and under which file name. */
    static final String EMBEDDED_PATH_PROPERTY = "org.sqlite.lib.path";
    static final String EMBEDDED_NAME_PROPERTY = "org.sqlite.lib.name";
    private static final String RESOURCE_FOLDER = "/io/cairn/dynamodb/local/native/";

    private static boolean installed;

    private SqliteNativeLibrary() {
    }

    /**
     * Extracts the library unless this JVM already has a library path for sqlite4java (set by an earlier call or
     * by the user on the command line, which wins), and points DynamoDB Local's embedded loader at that folder
     * unless the user did.
     *
     * @throws IllegalStateException when this platform has no library in the jar
     * @throws UncheckedIOException  when it cannot be extracted
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        String given = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (given != null) {
            if (isShippedPlatform()) {
                pointEmbeddedLoaderAt(given, libraryName());
            }
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
            // deleted at exit in the reverse order of registration: the library first, then its emptied folder
            folder.toFile().deleteOnExit();
            Path library = folder.resolve(name);
            library.toFile().deleteOnExit();
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            System.setProperty(LIBRARY_PATH_PROPERTY, folder.toString());
            pointEmbeddedLoaderAt(folder.toString(), name);
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract sqlite4java's native library " + name, e);
        }
    }

    private static void pointEmbeddedLoaderAt(String folder, String name) {
        if (System.getProperty(EMBEDDED_PATH_PROPERTY) == null && System.getProperty(EMBEDDED_NAME_PROPERTY) == null) {
            System.setProperty(EMBEDDED_PATH_PROPERTY, folder);
            System.setProperty(EMBEDDED_NAME_PROPERTY, name);
        }
    }

    private static boolean isShippedPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** The file name sqlite4java looks for on this platform; only Linux x86-64 is shipped. */
    private static String libraryName() {
        if (isShippedPlatform()) {
            return "libsqlite4java-linux-amd64.so";
        }
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        throw new IllegalStateException("DynamoDB Local needs sqlite4java's native library, which this build ships "
                + "for Linux x86-64 only (this is " + os + "/" + arch + "); set -D" + LIBRARY_PATH_PROPERTY
                + " to a folder holding the library for this platform");
    }
}
