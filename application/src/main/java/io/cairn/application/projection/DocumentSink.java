package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.cairn.application.StoredEvents;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DocumentStore;
import io.cairn.application.port.DocumentTooLargeException;
import io.cairn.application.port.DocumentWrite;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.StoredDocument;
import io.cairn.application.port.ViewWrite;
import io.cairn.domain.DocumentChange;
import io.cairn.domain.ProjectedEvent;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.RecordedEvent;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The document side of a document projection: what its {@link ViewWriter} does with a batch of released commits
 * instead of writing views alone. For each commit, in release order, it runs the domain's handler on every event
 * (with the stream's state before it), applies the changes to the documents, and then writes the documents, the
 * streams' states and (in global order) the checkpoint in one atomic {@link DocumentStore#write}: a commit's effect
 * is stored with the state that says it was applied, or not at all, so a redelivered commit is recognised by its
 * stream's state and never applied twice.
 *
 * <p>A write that finds a document or state moved (another process, or another shard of this projection, wrote
 * it) rereads them, drops the commits already applied and tries again. A handler or update that throws, or a
 * document the store cannot keep, is retried with backoff; then the commits before it are written and the
 * projection stops at it, visibly ({@link Projection#failure()}).
 *
 * <p>Driven by one writer thread per shard; the document cache is shared by the shards and safe for that.
 */
final class DocumentSink<E, S, D> {

    private static final System.Logger LOG = System.getLogger(DocumentSink.class.getName());
    private static final int MAX_CONFLICTS = 16;

    /** What it follows, by category. */
    private final Map<String, DocumentFollow<?, ?, D>> follows;
    private final StateCodec<D> codec;
    private final DocumentStore<S> store;
    private final int failureAttempts;
    private final Duration failureBackoff;
    /** What the store holds, as last read or written: absent documents included (version 0). */
    private final Cache<String, Versioned<D>> cache;

    DocumentSink(List<DocumentFollow<?, ?, D>> follows, StateCodec<D> codec, DocumentStore<S> store, long cacheSize,
                 int failureAttempts, Duration failureBackoff) {
        Map<String, DocumentFollow<?, ?, D>> byCategory = new LinkedHashMap<>();
        for (DocumentFollow<?, ?, D> follow : follows) {
            byCategory.put(follow.aggregate().category(), follow);
        }
        this.follows = Map.copyOf(byCategory);
        this.codec = requireNonNull(codec, "codec must not be null");
        this.store = requireNonNull(store, "store must not be null");
        this.failureAttempts = failureAttempts;
        this.failureBackoff = failureBackoff;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    DocumentStore<S> store() {
        return store;
    }

    /** Forgets the cached documents: before a stopped projection runs again, they are read from the store afresh. */
    void forget() {
        cache.invalidateAll();
    }

    /** A document as stored: its value (empty: none), version (0: none) and stored JSON. */
    record Versioned<D>(Optional<D> value, long version, String json) {
    }

    /** What one commit does to documents, computed by the handler alone. */
    private record Effects<S, D>(ViewWriter.Change<S> change, List<DocumentChange<D>> changes) {
    }

    /** What {@link #write} did: how many of the changes it stored, and the failure it stopped at, if any. */
    record Outcome(int written, Optional<ProjectionFailure> failure) {
    }

    /**
     * Applies and stores {@code changes} (each a released commit with its stream's state before and after it), in
     * order.
     *
     * @param checkpoint what to save with the last write, in global order; the position before a commit the
     *                   projection stops at replaces it
     */
    Outcome write(Projection<E, S> projection, List<ViewWriter.Change<S>> changes, Optional<Checkpoint> checkpoint) {
        List<ViewWriter.Change<S>> todo = changes;
        int written = 0;
        int conflicts = 0;
        int failures = 0;
        while (true) {
            Attempt attempt = attempt(projection, todo, checkpoint);
            written += attempt.written;
            if (attempt.failure == null) {
                return new Outcome(written, Optional.empty());
            }
            todo = todo.subList(attempt.written, todo.size());
            if (attempt.failure instanceof Conflict) {
                if (++conflicts > MAX_CONFLICTS) {
                    throw new IllegalStateException("documents of projection " + projection.name
                            + " kept moving under it");
                }
                projection.viewConflicts.increment();
                todo = rebase(projection, todo);
                if (todo.isEmpty()) {
                    return new Outcome(written, Optional.empty());
                }
                continue;
            }
            Failed failed = (Failed) attempt.failure;
            int at = failed.index - attempt.written; // the commits before it that were not stored with the rest
            if (++failures < failureAttempts) {
                LOG.log(Level.WARNING, "projection " + projection.name + " failed at " + failed.commit.stream() + "@"
                        + failed.commit.revision() + " (attempt " + failures + " of " + failureAttempts
                        + "); retrying: " + ProjectionFailure.describe(failed.error));
                sleep(failureBackoff.multipliedBy(1L << Math.min(failures - 1, 10)));
                continue;
            }
            // give up on that commit: store those before it, with a checkpoint just before it in global order
            Optional<Checkpoint> upTo = failed.commit.position().isPresent()
                    ? Optional.of(Checkpoint.atPosition(failed.commit.position().getAsLong() - 1))
                    : Optional.empty();
            written += write(projection, todo.subList(0, at), upTo).written();
            ProjectionFailure failure = new ProjectionFailure(failed.commit.stream(), failed.commit.revision(),
                    failed.commit.position(), ProjectionFailure.describe(failed.error), Instant.now());
            LOG.log(Level.ERROR, "projection " + projection.name + " stopped at " + failure.stream() + "@"
                    + failure.revision() + " after " + failureAttempts + " attempts: " + failure.error()
                    + "; it tries that commit again when Cairn restarts", failed.error);
            return new Outcome(written, Optional.of(failure));
        }
    }

    private sealed interface Stop permits Conflict, Failed {
    }

    private record Conflict() implements Stop {
    }

    /** The handler, an update or the store failed on the commit of {@code todo.get(index)}. */
    private record Failed(int index, RecordedCommit commit, RuntimeException error) implements Stop {
    }

    private static final class Attempt {
        int written;
        Stop failure;
    }

    /** Computes and writes {@code todo} in groups the store takes at once, until done, a conflict or a failure. */
    private Attempt attempt(Projection<E, S> projection, List<ViewWriter.Change<S>> todo,
                            Optional<Checkpoint> checkpoint) {
        Attempt attempt = new Attempt();
        List<Effects<S, D>> effects = new ArrayList<>(todo.size());
        for (int i = 0; i < todo.size(); i++) {
            try {
                effects.add(new Effects<>(todo.get(i), projection.isSkipped(todo.get(i).commit())
                        ? List.of() // skipped: applied with no document change, its state moved all the same
                        : effectsOf(todo.get(i))));
            } catch (RuntimeException e) {
                attempt.failure = new Failed(i, todo.get(i).commit(), e);
                break;
            }
        }
        load(projection, effects);
        if (effects.isEmpty() && attempt.failure == null && checkpoint.isPresent()) {
            projection.retrying(() -> store.write(List.of(), List.of(), checkpoint));
            return attempt;
        }
        int maxItems = store.maxItemsPerWrite();
        long maxBytes = store.maxBytesPerWrite();
        int start = 0;
        while (start < effects.size()) {
            Map<String, Working<D>> documents = new LinkedHashMap<>();
            Map<StreamId, ViewWrite<S>> states = new LinkedHashMap<>();
            int end = start;
            long bytes = 0;
            for (; end < effects.size(); end++) {
                Effects<S, D> next = effects.get(end);
                Map<String, Working<D>> touched;
                try {
                    touched = apply(projection, next, documents);
                } catch (RuntimeException e) {
                    attempt.failure = new Failed(end, next.change.commit(), e);
                    break;
                }
                // the store takes so many items and bytes at once: a commit that does not fit starts the next group
                int items = documents.size() + states.size() + 1
                        + (states.containsKey(next.change.view().stream()) ? 0 : 1);
                long moreBytes = 0;
                for (Map.Entry<String, Working<D>> entry : touched.entrySet()) {
                    if (!documents.containsKey(entry.getKey())) {
                        items++;
                    }
                    moreBytes += entry.getValue().bytes() - bytesOf(documents.get(entry.getKey()));
                }
                if (end > start && (items > maxItems || bytes + moreBytes > maxBytes)) {
                    break;
                }
                bytes += moreBytes;
                documents.putAll(touched);
                ViewWriter.Change<S> change = next.change;
                ViewWrite<S> earlier = states.get(change.view().stream());
                states.put(change.view().stream(), new ViewWrite<>(change.view(),
                        earlier != null ? earlier.replacing() : change.from().revision()));
            }
            boolean last = end == effects.size() && attempt.failure == null;
            List<DocumentWrite> writes = new ArrayList<>();
            for (Map.Entry<String, Working<D>> entry : documents.entrySet()) {
                entry.getValue().write(entry.getKey()).ifPresent(writes::add);
            }
            if (end > start || last && checkpoint.isPresent()) {
                List<ViewWrite<S>> stateWrites = List.copyOf(states.values());
                Optional<Checkpoint> with = last ? checkpoint : Optional.empty();
                boolean stored;
                try {
                    stored = projection.retrying(() -> store.write(writes, stateWrites, with));
                } catch (DocumentTooLargeException e) {
                    int culprit = lastTouching(effects, start, end, e.key());
                    attempt.failure = new Failed(culprit, effects.get(culprit).change.commit(), e);
                    attempt.written = start; // nothing of this group was stored
                    return attempt;
                } catch (RuntimeException e) { // the store refused the batch itself: stop at its first commit
                    attempt.failure = new Failed(start, effects.get(start).change.commit(), e);
                    attempt.written = start;
                    return attempt;
                }
                if (!stored) {
                    for (String key : documents.keySet()) {
                        cache.invalidate(key);
                    }
                    attempt.written = start;
                    attempt.failure = new Conflict();
                    return attempt;
                }
                for (Map.Entry<String, Working<D>> entry : documents.entrySet()) {
                    entry.getValue().stored(entry.getKey(), cache);
                }
                projection.storedStates(stateWrites);
            }
            start = end;
            if (attempt.failure != null) {
                break;
            }
        }
        attempt.written = start;
        return attempt;
    }

    private int lastTouching(List<Effects<S, D>> effects, int start, int end, String key) {
        for (int i = end - 1; i >= start; i--) {
            for (DocumentChange<D> change : effects.get(i).changes) {
                if (change.key().equals(key)) {
                    return i;
                }
            }
        }
        return start;
    }

    /** Runs the handler on every event of the commit, with the state before each. */
    private List<DocumentChange<D>> effectsOf(ViewWriter.Change<S> change) {
        RecordedCommit commit = change.commit();
        @SuppressWarnings("unchecked")
        DocumentFollow<Object, Object, D> follow = (DocumentFollow<Object, Object, D>) follows.get(
                commit.stream().category());
        if (follow == null) {
            throw new IllegalStateException("a commit of " + commit.stream() + " reached a projection that follows "
                    + follows.keySet());
        }
        Object state = ((Tagged) change.from().state()).state();
        List<DocumentChange<D>> out = new ArrayList<>();
        List<RecordedEvent> recordedEvents = commit.recordedEvents();
        for (int i = 0; i < recordedEvents.size(); i++) {
            RecordedEvent recorded = recordedEvents.get(i);
            Object event = StoredEvents.decode(follow.events(), commit, i);
            List<DocumentChange<D>> made = follow.handler().changes(new ProjectedEvent<>(commit.stream(),
                    commit.revision(), recorded.eventNumber(), event, state, commit.recordedAt()));
            if (made == null) {
                throw new NullPointerException("the handler returned null for " + recorded.event().type()
                        + " of " + commit.stream() + "@" + commit.revision() + ", not a list");
            }
            for (DocumentChange<D> documentChange : made) {
                out.add(requireNonNull(documentChange, "the handler returned a null change"));
            }
            state = follow.aggregate().evolve(state, event);
        }
        return out;
    }

    /** Reads the documents the effects touch that the cache does not hold. */
    private void load(Projection<E, S> projection, List<Effects<S, D>> effects) {
        Set<String> missing = new LinkedHashSet<>();
        for (Effects<S, D> effect : effects) {
            for (DocumentChange<D> change : effect.changes) {
                if (cache.getIfPresent(change.key()) == null) {
                    missing.add(change.key());
                }
            }
        }
        List<String> keys = new ArrayList<>(missing);
        for (int from = 0; from < keys.size(); from += DocumentStore.MAX_KEYS) {
            Set<String> chunk = new LinkedHashSet<>(keys.subList(from, Math.min(keys.size(), from + DocumentStore.MAX_KEYS)));
            Map<String, StoredDocument> found = projection.retrying(() -> store.documents(chunk));
            for (String key : chunk) {
                StoredDocument stored = found.get(key);
                cache.put(key, stored == null
                        ? new Versioned<>(Optional.empty(), 0, null)
                        : new Versioned<>(Optional.of(codec.decode(stored.json())), stored.version(), stored.json()));
            }
        }
    }

    private static long bytesOf(Working<?> working) {
        return working == null ? 0 : working.bytes();
    }

    /**
     * Applies one commit's changes to copies of the working documents, checking each touched document's size;
     * returns the copies, for the caller to take into the group if the commit fits.
     */
    private Map<String, Working<D>> apply(Projection<E, S> projection, Effects<S, D> effects, Map<String, Working<D>> documents) {
        Map<String, Working<D>> touched = new HashMap<>();
        for (DocumentChange<D> change : effects.changes) {
            Working<D> working = touched.get(change.key());
            if (working == null) {
                Working<D> earlier = documents.get(change.key());
                working = earlier != null ? earlier.copy() : Working.of(current(projection, change.key()));
                touched.put(change.key(), working);
            }
            working.value = change.applyTo(working.value);
            working.json = null;
        }
        for (Map.Entry<String, Working<D>> entry : touched.entrySet()) {
            Working<D> working = entry.getValue();
            if (working.value.isPresent()) {
                working.json = codec.encode(working.value.get());
                long bytes = working.json.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > store.maxDocumentBytes()) {
                    throw new DocumentTooLargeException(store.projection(), entry.getKey(), bytes,
                            store.maxDocumentBytes());
                }
            }
        }
        return touched;
    }

    private Versioned<D> current(Projection<E, S> projection, String key) {
        Versioned<D> cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<StoredDocument> stored = projection.retrying(() -> store.document(key));
        Versioned<D> read = stored.map(doc -> new Versioned<>(Optional.of(codec.decode(doc.json())), doc.version(),
                doc.json())).orElseGet(() -> new Versioned<>(Optional.empty(), 0, null));
        cache.put(key, read);
        return read;
    }

    /**
     * After a conflict: rereads the states of the streams left to write and drops the commits they show applied.
     */
    private List<ViewWriter.Change<S>> rebase(Projection<E, S> projection, List<ViewWriter.Change<S>> todo) {
        Map<StreamId, Long> stored = new HashMap<>();
        List<ViewWriter.Change<S>> left = new ArrayList<>();
        for (ViewWriter.Change<S> change : todo) {
            StreamId stream = change.view().stream();
            long revision = stored.computeIfAbsent(stream, s -> projection.retrying(() -> store.get(s))
                    .map(Snapshot::revision).orElse(0L));
            if (change.commit().revision() <= revision) {
                projection.duplicates.increment();
                continue;
            }
            if (change.from().revision() != revision && !containsStream(left, stream)) {
                throw new IllegalStateException("the state of " + stream + " in projection " + projection.name
                        + " is at " + revision + ", but the commit to apply follows " + change.from().revision());
            }
            left.add(change);
        }
        return left;
    }

    private static <S> boolean containsStream(List<ViewWriter.Change<S>> changes, StreamId stream) {
        for (ViewWriter.Change<S> change : changes) {
            if (change.view().stream().equals(stream)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A document being changed in a batch: its value now, the version it was read at, its JSON when encoded. */
    private static final class Working<D> {
        Optional<D> value;
        final long version;
        String json;

        private Working(Optional<D> value, long version, String json) {
            this.value = value;
            this.version = version;
            this.json = json;
        }

        static <D> Working<D> of(Versioned<D> stored) {
            return new Working<>(stored.value(), stored.version(), stored.json());
        }

        Working<D> copy() {
            return new Working<>(value, version, json);
        }

        /** The stored size of this document as it is now, in UTF-8 bytes (0 when absent). */
        long bytes() {
            return json == null ? 0 : json.length() * 3L; // an upper bound, cheap: a char is at most 3 UTF-8 bytes
        }

        /** The write that stores this document, empty when it was and stays absent. */
        Optional<DocumentWrite> write(String key) {
            if (value.isPresent()) {
                return Optional.of(new DocumentWrite.Put(key, json, version));
            }
            return version == 0 ? Optional.empty() : Optional.of(new DocumentWrite.Delete(key, version));
        }

        /** The write landed: the cache holds what is stored now. */
        void stored(String key, Cache<String, Versioned<D>> cache) {
            if (value.isPresent()) {
                cache.put(key, new Versioned<>(value, version + 1, json));
            } else {
                cache.put(key, new Versioned<>(Optional.empty(), 0, null));
            }
        }
    }
}
