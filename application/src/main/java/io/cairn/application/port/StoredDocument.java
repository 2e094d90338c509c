package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.DocumentChange;

/**
 * A document as a {@link DocumentStore} holds it.
 *
 * @param key     the document's key, a valid {@link DocumentChange#checkKey key}
 * @param json    the document, a JSON object
 * @param version 1 when first written, one more with every write since; what a {@link DocumentWrite} compares
 */
public record StoredDocument(String key, String json, long version) {

    public StoredDocument {
        DocumentChange.checkKey(key);
        requireNonNull(json, "json must not be null");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
    }
}
