package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DocumentPage;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewStores;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One projection's documents and states on the heap, behind one lock: {@link #write} is atomic because nothing else
 * runs while it does. Keys are ordered by their UTF-16 code units (the same as their UTF-8 bytes for keys without
 * characters outside the Basic Multilingual Plane).
 */
public final class InMemoryDocumentStore<S> implements DocumentStore<S> {

    /** The size limit of the memory store: as DynamoDB's, so that tests on memory find what DynamoDB would refuse. */
    public static final long MAX_DOCUMENT_BYTES = 400 * 1024;

    private final String projection;
    private final CheckpointStore checkpoints;
    private final NavigableMap<String, StoredDocument> documents = new TreeMap<>();
    private final Map<StreamId, Snapshot<S>> states = new HashMap<>();

    /**
     * @param projection  the projection's name, not empty
     * @param checkpoints where {@link #write} saves the projection's checkpoint
     */
    public InMemoryDocumentStore(String projection, CheckpointStore checkpoints) {
        this.projection = requireNonNull(projection, "projection must not be null");
        if (projection.isEmpty()) {
            throw new IllegalArgumentException("projection must not be empty");
        }
        this.checkpoints = requireNonNull(checkpoints, "checkpoints must not be null");
    }

    @Override
    public String projection() {
        return projection;
    }

    @Override
    public long maxDocumentBytes() {
        return MAX_DOCUMENT_BYTES;
    }

    @Override
    public synchronized Optional<StoredDocument> document(String key) {
        return Optional.ofNullable(documents.get(requireNonNull(key, "key must not be null")));
    }

    @Override
    public synchronized Map<String, StoredDocument> documents(Set<String> keys) {
        requireNonNull(keys, "keys must not be null");
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " keys at once, not " + keys.size());
        }
        Map<String, StoredDocument> found = new LinkedHashMap<>();
        for (String key : keys) {
            StoredDocument document = documents.get(key);
            if (document != null) {
                found.put(key, document);
            }
        }
        return found;
    }

    @Override
    public synchronized DocumentPage list(String prefix, Optional<String> after, int limit) {
        requireNonNull(prefix, "prefix must not be null");
        requireNonNull(after, "after must not be null");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
        }
        NavigableMap<String, StoredDocument> from = after.isPresent() && after.get().compareTo(prefix) >= 0
                ? documents.tailMap(after.get(), false)
                : documents.tailMap(prefix, true);
        List<StoredDocument> page = new ArrayList<>();
        for (StoredDocument document : from.values()) {
            if (!document.key().startsWith(prefix)) {
                break;
            }
            if (page.size() == limit) {
                return new DocumentPage(page, Optional.of(page.get(page.size() - 1).key()));
            }
            page.add(document);
        }
        return new DocumentPage(page, Optional.empty());
    }

    @Override
    public synchronized boolean write(List<DocumentWrite> writes, List<ViewWrite<S>> stateWrites,
                                      Optional<Checkpoint> checkpoint) {
        requireNonNull(writes, "documents must not be null");
        requireNonNull(stateWrites, "states must not be null");
        requireNonNull(checkpoint, "checkpoint must not be null");
        Set<String> keys = new HashSet<>();
        for (DocumentWrite write : writes) {
            if (!keys.add(write.key())) {
                throw new IllegalArgumentException("two writes for document '" + write.key() + "' in one batch");
            }
            if (write instanceof DocumentWrite.Put put) {
                long bytes = put.json().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_DOCUMENT_BYTES) {
                    throw new DocumentTooLargeException(projection, put.key(), bytes, MAX_DOCUMENT_BYTES);
                }
            }
        }
        Set<StreamId> streams = new HashSet<>();
        for (ViewWrite<S> write : stateWrites) {
            if (!streams.add(write.view().stream())) {
                throw new IllegalArgumentException("two states for " + write.view().stream() + " in one batch");
            }
        }
        for (DocumentWrite write : writes) {
            StoredDocument stored = documents.get(write.key());
            if ((stored == null ? 0 : stored.version()) != write.expectedVersion()) {
                return false;
            }
        }
        for (ViewWrite<S> write : stateWrites) {
            Snapshot<S> stored = states.get(write.view().stream());
            if ((stored == null ? 0 : stored.revision()) != write.replacing()) {
                return false;
            }
        }
        for (DocumentWrite write : writes) {
            if (write instanceof DocumentWrite.Put put) {
                documents.put(put.key(), new StoredDocument(put.key(), put.json(), put.expectedVersion() + 1));
            } else {
                documents.remove(write.key());
            }
        }
        for (ViewWrite<S> write : stateWrites) {
            states.put(write.view().stream(), write.view());
        }
        checkpoint.ifPresent(c -> checkpoints.save(projection, c));
        return true;
    }

    @Override
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    @Override
    public synchronized Optional<Snapshot<S>> get(StreamId stream) {
        return Optional.ofNullable(states.get(requireNonNull(stream, "stream must not be null")));
    }

    @Override
    public synchronized boolean put(Snapshot<S> view, long replacing) {
        requireNonNull(view, "view must not be null");
        ViewStores.checkReplacing(view, replacing);
        Snapshot<S> stored = states.get(view.stream());
        if ((stored == null ? 0 : stored.revision()) != replacing) {
            return false;
        }
        states.put(view.stream(), view);
        return true;
    }

    @Override
    public synchronized void deleteAll() {
        documents.clear();
        states.clear();
        checkpoints.delete(projection);
    }
}
