package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.DocumentChange;

/**
 * One compare-and-set write of a document: {@link Put} stores {@code json} at version {@code expectedVersion + 1},
 * {@link Delete} removes the document; each only if the stored document is at {@code expectedVersion} (0: there is
 * none).
 */
public sealed interface DocumentWrite permits DocumentWrite.Put, DocumentWrite.Delete {

    /** The document written. */
    String key();

    /** The version the stored document must be at; 0: there must be none. */
    long expectedVersion();

    /**
     * @param json            the document, a JSON object, not null
     * @param expectedVersion {@code >= 0}
     */
    record Put(String key, String json, long expectedVersion) implements DocumentWrite {
        public Put {
            DocumentChange.checkKey(key);
            requireNonNull(json, "json must not be null");
            if (expectedVersion < 0) {
                throw new IllegalArgumentException("expectedVersion must be >= 0, was " + expectedVersion);
            }
        }
    }

    /** @param expectedVersion {@code >= 1}: only a document that exists is deleted */
    record Delete(String key, long expectedVersion) implements DocumentWrite {
        public Delete {
            DocumentChange.checkKey(key);
            if (expectedVersion < 1) {
                throw new IllegalArgumentException("expectedVersion must be >= 1, was " + expectedVersion);
            }
        }
    }
}
