package io.cairn.application.port;

import io.cairn.domain.StreamId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where one document projection keeps what it makes: its JSON documents, each under a key, and, as a
 * {@link ViewStore}, the state it keeps per stream of the aggregate it follows (the aggregate's state at the revision
 * it has applied, so that it knows each stream's next commit). {@link #write} stores documents, states and, where
 * given, the checkpoint in one atomic step: a projection writing through it applies every commit exactly once,
 * whatever crashes. Thread-safe.
 *
 * <p>Every call may throw {@link StoreUnavailableException} when the store cannot be reached; a {@link #write} that
 * throws it wrote all of its batch or nothing.
 *
 * @param <S> the per-stream state type
 */
public interface DocumentStore<S> extends ViewStore<S> {

    /** The projection this store keeps the documents of. */
    String projection();

    /** The largest document, in bytes of its stored form, the store keeps. */
    long maxDocumentBytes();

    /** The document at {@code key}, empty when there is none. */
    Optional<StoredDocument> document(String key);

    /** The documents at {@code keys} that exist, by key; at most {@link #MAX_KEYS} keys. */
    Map<String, StoredDocument> documents(Set<String> keys);

    /** How many keys {@link #documents(Set)} takes at once. */
    int MAX_KEYS = 100;

    /**
     * Documents in ascending key order whose key starts with {@code prefix} (empty: all), after key {@code after}
     * (exclusive; empty: from the first), at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit < 1} or {@code limit > 1000}
     */
    DocumentPage list(String prefix, Optional<String> after, int limit);

    /**
     * Writes, all or nothing: every document write (each only if its document is at its expected version), every
     * state (each only if the stored one is at its {@link ViewWrite#replacing()} revision) and, when present, the
     * projection's checkpoint.
     *
     * @param documents  at most one per key
     * @param states     at most one per stream
     * @param checkpoint saved for {@link #projection()} with the rest, when present
     * @return true when all of it was written; false when a document or state was not at what it expected, and then
     *         nothing was written
     * @throws IllegalArgumentException   when two writes are for one key or one stream
     * @throws DocumentTooLargeException  when a document is larger than {@link #maxDocumentBytes()}; nothing written
     * @throws StoreUnavailableException  when the store cannot be reached; all or nothing was written
     */
    boolean write(List<DocumentWrite> documents, List<ViewWrite<S>> states, Optional<Checkpoint> checkpoint);

    /**
     * How many documents, states and checkpoints one {@link #write} takes together (DynamoDB's transactions take
     * 100 items); a projection splits a larger batch at commit boundaries. Unbounded unless the store says.
     */
    default int maxItemsPerWrite() {
        return Integer.MAX_VALUE;
    }

    /**
     * How many bytes of documents one {@link #write} takes together (DynamoDB's transactions take 4 MB); a
     * projection splits a larger batch at commit boundaries. Unbounded unless the store says.
     */
    default long maxBytesPerWrite() {
        return Long.MAX_VALUE;
    }

    /** Where {@link #write} saves checkpoints: this projection's, and any other's, read and written on its own. */
    CheckpointStore checkpoints();

    /** The state kept for {@code stream}; see {@link ViewStore#get}. */
    @Override
    Optional<Snapshot<S>> get(StreamId stream);

    /**
     * Deletes everything of {@link #projection()}: its documents, its per-stream states and its checkpoint in
     * {@link #checkpoints()}. For a retired generation, once queries read the new one; not atomic (see
     * {@link ViewStore#deleteAll()}): the checkpoint goes last, so that a delete cut short is finished by calling it
     * again.
     *
     * @throws StoreUnavailableException when the store cannot be reached; part may be deleted
     */
    @Override
    void deleteAll();
}
