package io.cairn.dynamodb.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What DynamoDB Local needs in this JVM however it runs ({@link EmbeddedDynamoDb}, {@link InProcessDynamoDb}). */
final class DynamoDbLocalRuntime {

    /**
     * DynamoDB Local's inner AWS SDK v1 logs to java.util.logging, with warnings about its own classpath that say
     * nothing about Cairn's; held here because java.util.logging forgets the level of a logger nobody holds.
     */
    private static final Logger SDK_V1_LOGS = Logger.getLogger("com.amazonaws");
    /** sqlite4java warns about its own jar's version, which the shaded jar cannot give it: noise for a user. */
    private static final Logger SQLITE_LOGS = Logger.getLogger("com.almworks.sqlite4java");

    private DynamoDbLocalRuntime() {
    }

    /**
     * Makes SQLite's native library loadable and quiets DynamoDB Local's inner logs. Idempotent.
     *
     * @throws IllegalStateException when this platform has no library in the jar
     * @throws UncheckedIOException  when it cannot be extracted
     */
    static void prepare() {
        SqliteNativeLibrary.install();
        SDK_V1_LOGS.setLevel(Level.SEVERE);
        SQLITE_LOGS.setLevel(Level.SEVERE);
    }

    /**
     * {@code dataDirectory}, absolute and normalised, created when missing.
     *
     * @throws NullPointerException when {@code dataDirectory} is null
     * @throws UncheckedIOException when the folder cannot be created
     */
    static Path dataFolder(Path dataDirectory) {
        requireNonNull(dataDirectory, "dataDirectory must not be null");
        Path folder = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DynamoDB Local's data folder " + folder, e);
        }
        return folder;
    }
}
