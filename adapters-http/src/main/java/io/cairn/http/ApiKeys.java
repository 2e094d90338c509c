package io.cairn.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys of an API key file: one key a line, {@code <name> <role>[,<role>...] <sha-256 hex of the key>}, fields
 * separated by spaces or tabs; blank lines and lines starting with {@code #} are ignored. The key itself is never
 * stored, only its SHA-256; a request's key is hashed and compared with every stored hash in constant time
 * ({@link MessageDigest#isEqual}). Names are 1-64 characters of {@code [A-Za-z0-9._@:-]}, unique; a hash appears once.
 * Immutable and thread-safe.
 */
public final class ApiKeys {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private record Key(Principal principal, byte[] hash) {
    }

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Reads and checks a key file.
     *
     * @throws InvalidApiKeyFileException naming the file, and the line when one is wrong: a line without three
     *         fields, a bad name or role, a hash that is not 64 hex digits, a name or hash given twice, or a file
     *         that cannot be read or holds no key
     */
    public static ApiKeys read(Path file) {
        requireNonNull(file, "file must not be null");
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidApiKeyFileException(file, 0, "cannot be read: " + e);
        }
        return parse(file, content);
    }

    /** As {@link #read(Path)}, on content already read from {@code file}. */
    static ApiKeys parse(Path file, byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n", -1);
        List<Key> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            if (fields.length != 3) {
                throw new InvalidApiKeyFileException(file, number, "must be '<name> <role>[,<role>...] "
                        + "<sha-256 hex of the key>', three fields; has " + fields.length);
            }
            String name = fields[0];
            if (!NAME.matcher(name).matches()) {
                throw new InvalidApiKeyFileException(file, number, "the name '" + StreamController.abbreviate(name)
                        + "' is not 1-64 characters of [A-Za-z0-9._@:-]");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : fields[1].split(",", -1)) {
                try {
                    roles.add(Role.of(role));
                } catch (IllegalArgumentException e) {
                    throw new InvalidApiKeyFileException(file, number, e.getMessage());
                }
            }
            String hash = fields[2];
            if (!HASH.matcher(hash).matches()) {
                throw new InvalidApiKeyFileException(file, number, "the key's hash must be 64 hex digits (the "
                        + "SHA-256 of the key, e.g. from sha256sum), was " + hash.length() + " characters");
            }
            if (!names.add(name)) {
                throw new InvalidApiKeyFileException(file, number, "the name '" + name + "' is given twice");
            }
            if (!hashes.add(hash.toLowerCase(java.util.Locale.ROOT))) {
                throw new InvalidApiKeyFileException(file, number, "this key's hash is given twice");
            }
            keys.add(new Key(new Principal(name, roles), HEX.parseHex(hash)));
        }
        if (keys.isEmpty()) {
            throw new InvalidApiKeyFileException(file, 0, "holds no key");
        }
        return new ApiKeys(keys);
    }

    /** How many keys there are. */
    public int size() {
        return keys.size();
    }

    /**
     * The principal whose key is {@code key}: its SHA-256 is compared with every stored hash, all of them, each in
     * constant time, so the time taken says nothing about which hash, or how much of one, matched.
     */
    Optional<Principal> find(String key) {
        byte[] hash = sha256(key.getBytes(StandardCharsets.UTF_8));
        Principal found = null;
        for (Key candidate : keys) {
            if (MessageDigest.isEqual(candidate.hash(), hash) && found == null) {
                found = candidate.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A key file that cannot be used; the message names the file and, where one is wrong, the line. */
    public static final class InvalidApiKeyFileException extends RuntimeException {
        private final transient Path file;
        private final int line;

        /** @param line the offending line, from 1; 0 when the file as a whole is wrong */
        public InvalidApiKeyFileException(Path file, int line, String message) {
            super("API key file " + file + (line > 0 ? ", line " + line : "") + ": " + message);
            this.file = file;
            this.line = line;
        }

        /** The file. */
        public Path file() {
            return file;
        }

        /** The offending line, from 1; 0 when the file as a whole is wrong. */
        public int line() {
            return line;
        }
    }
}
