package io.cairn.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;

/** Makes API keys and key files as the README tells an operator to: a random key, its SHA-256 in the file. */
final class ApiKeyFiles {

    private ApiKeyFiles() {
    }

    /** A fresh random key, as {@code openssl rand -hex 32} makes one. */
    static String newKey() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    /** The key's line in a key file. */
    static String line(String name, String roles, String key) {
        return name + " " + roles + " " + HexFormat.of().formatHex(ApiKeys.sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code lines} to {@code file} (replacing it), one a line. */
    static Path write(Path file, String... lines) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), "keys", ".tmp");
            Files.writeString(temporary, String.join("\n", lines) + "\n");
            return Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
