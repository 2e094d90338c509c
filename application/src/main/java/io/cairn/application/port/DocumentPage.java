package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of a projection's documents in key order.
 *
 * @param documents the documents, in ascending key order
 * @param next      the key to list after for the next page; empty when this page is the last
 */
public record DocumentPage(List<StoredDocument> documents, Optional<String> next) {

    public DocumentPage {
        documents = List.copyOf(requireNonNull(documents, "documents must not be null"));
        requireNonNull(next, "next must not be null");
    }
}
