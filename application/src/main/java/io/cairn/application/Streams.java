package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.EventCodec;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw stream API: append commits of any events to any stream a client names, and read streams back.
 * Streams of a category owned by an aggregate (e.g. {@code account-*}) are read-only here: they are written
 * through the aggregate's commands, which keep its rules, and read as the aggregate reads them, every event
 * {@link EventCodec#upcast upcast} to the current version of its type. Other streams read as stored. Thread-safe.
 */
public final class Streams {

    private final EventStore store;
    private final FastChannel fastChannel;
    private final Set<String> ownedCategories;
    private final Map<String, EventCodec<?>> codecs;

    /** Streams whose owned categories' events are read as stored. */
    public Streams(EventStore store, FastChannel fastChannel, Set<String> ownedCategories) {
        this(store, fastChannel, ownedCategories, Map.of());
    }

    /**
     * @param ownedCategories the categories of the registered aggregates: read-only here
     * @param codecs          by category (each one of {@code ownedCategories}): how the events of its streams are
     *                        read, upcasting included
     */
    public Streams(EventStore store, FastChannel fastChannel, Set<String> ownedCategories,
                   Map<String, ? extends EventCodec<?>> codecs) {
        this.store = requireNonNull(store, "store must not be null");
        this.fastChannel = requireNonNull(fastChannel, "fastChannel must not be null");
        this.ownedCategories = Set.copyOf(ownedCategories);
        this.codecs = Map.copyOf(codecs);
        if (!this.ownedCategories.containsAll(this.codecs.keySet())) {
            throw new IllegalArgumentException("codecs " + this.codecs.keySet() + " of categories not owned: "
                    + this.ownedCategories);
        }
    }

    /**
     * Appends a commit, then publishes it on the fast channel.
     *
     * @throws InvalidInputException when the stream belongs to an aggregate's category
     * @see EventStore#append
     */
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        requireNonNull(stream, "stream must not be null");
        if (ownedCategories.contains(stream.category())) {
            throw new InvalidInputException("stream", "streams of category '" + stream.category()
                    + "' are written through that aggregate's commands only");
        }
        AppendResult result;
        try (Purpose.Scope ignored = Purpose.COMMAND.enter()) {
            result = store.append(stream, expected, commit);
        }
        fastChannel.publish(result.commit());
        return result;
    }

    /**
     * The stream's commits, those of an aggregate's stream with every event upcast to its type's current version.
     *
     * @throws io.cairn.domain.UnreadableEventException when an aggregate's event cannot be upcast
     * @see EventStore#read
     */
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        StreamSlice slice;
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            slice = store.read(stream, fromRevision, maxCommits);
        }
        EventCodec<?> codec = codecs.get(stream.category());
        if (codec == null) {
            return slice;
        }
        List<RecordedCommit> commits = new ArrayList<>(slice.commits().size());
        for (RecordedCommit commit : slice.commits()) {
            commits.add(StoredEvents.upcast(codec, commit));
        }
        return new StreamSlice(slice.stream(), slice.fromRevision(), commits, slice.endOfStream());
    }

    /** @see EventStore#revision */
    public long revision(StreamId stream) {
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return store.revision(stream);
        }
    }
}
