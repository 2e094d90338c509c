package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Function;

/**
 * One change a document projection makes to a document of its own collection, for one event: put a document,
 * update one as a function of its current value, or delete one. Immutable and thread-safe (an {@link Update}'s
 * function must be pure: Cairn may call it more than once, on any thread, when it retries or rebuilds).
 *
 * <p>A key is 1 to {@value #MAX_KEY_LENGTH} characters without control characters, at most
 * {@value #MAX_KEY_BYTES} bytes in UTF-8 (DynamoDB's limit on a sort key); keys order documents in a
 * listing (by their UTF-8 bytes on DynamoDB, by the database's collation "C" on PostgreSQL: the same for ASCII).
 *
 * @param <D> the document type
 */
public sealed interface DocumentChange<D> permits DocumentChange.Put, DocumentChange.Update, DocumentChange.Delete {

    /** The longest key, in characters. */
    int MAX_KEY_LENGTH = 512;

    /** The longest key, in UTF-8 bytes. */
    int MAX_KEY_BYTES = 1024;

    /** The document this change is to. */
    String key();

    /**
     * The document after this change.
     *
     * @param current the document as it is, empty when there is none; never null
     * @return the document after the change, empty when it is to be deleted (or stays absent); never null
     * @throws RuntimeException whatever an update's function throws: the projection then retries and stops
     */
    Optional<D> applyTo(Optional<D> current);

    /**
     * Replaces (or creates) the document at {@code key} with {@code document}.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code key} is not a valid key
     */
    static <D> DocumentChange<D> put(String key, D document) {
        return new Put<>(key, document);
    }

    /**
     * Changes the document at {@code key} to what {@code change} makes of it: it gets the current document (empty
     * when there is none) and returns the new one (empty to delete it, or to leave it absent). The function must
     * return a new value rather than mutate the one it gets, and must not have side effects.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code key} is not a valid key
     */
    static <D> DocumentChange<D> update(String key, Function<Optional<D>, Optional<D>> change) {
        return new Update<>(key, change);
    }

    /**
     * Deletes the document at {@code key}, if there is one.
     *
     * @throws NullPointerException     when {@code key} is null
     * @throws IllegalArgumentException when {@code key} is not a valid key
     */
    static <D> DocumentChange<D> delete(String key) {
        return new Delete<>(key);
    }

    /**
     * Checks a key: 1 to {@value #MAX_KEY_LENGTH} characters, at most {@value #MAX_KEY_BYTES} UTF-8 bytes, none of
     * them a control character.
     *
     * @throws NullPointerException     when {@code key} is null
     * @throws IllegalArgumentException otherwise, saying why
     */
    static String checkKey(String key) {
        requireNonNull(key, "key must not be null");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a document key has 1 to " + MAX_KEY_LENGTH + " characters, this one "
                    + key.length());
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a document key takes at most " + MAX_KEY_BYTES
                    + " bytes in UTF-8, this one " + key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("a document key has no control characters: '"
                        + key.replaceAll("\\p{Cntrl}", "?") + "'");
            }
        }
        return key;
    }

    /** See {@link DocumentChange#put}. */
    record Put<D>(String key, D document) implements DocumentChange<D> {
        public Put {
            checkKey(key);
            requireNonNull(document, "document must not be null");
        }

        @Override
        public Optional<D> applyTo(Optional<D> current) {
            return Optional.of(document);
        }
    }

    /** See {@link DocumentChange#update}. */
    record Update<D>(String key, Function<Optional<D>, Optional<D>> change) implements DocumentChange<D> {
        public Update {
            checkKey(key);
            requireNonNull(change, "change must not be null");
        }

        @Override
        public Optional<D> applyTo(Optional<D> current) {
            Optional<D> next = change.apply(requireNonNull(current, "current must not be null"));
            if (next == null) {
                throw new NullPointerException("the update of document '" + key + "' returned null, not an Optional");
            }
            return next;
        }
    }

    /** See {@link DocumentChange#delete}. */
    record Delete<D>(String key) implements DocumentChange<D> {
        public Delete {
            checkKey(key);
        }

        @Override
        public Optional<D> applyTo(Optional<D> current) {
            return Optional.empty();
        }
    }
}
