package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.FastChannel;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.StreamId;
import java.util.Set;

/**
 * The raw stream API: append commits of any events to any stream a client names, and read streams back.
 * Streams of a category owned by an aggregate (e.g. {@code account-*}) are read-only here: they are written
 * through the aggregate's commands, which keep its rules. Thread-safe.
 */
public final class Streams {

    private final EventStore store;
    private final FastChannel fastChannel;
    private final Set<String> ownedCategories;

    public Streams(EventStore store, FastChannel fastChannel, Set<String> ownedCategories) {
        this.store = requireNonNull(store, "store must not be null");
        this.fastChannel = requireNonNull(fastChannel, "fastChannel must not be null");
        this.ownedCategories = Set.copyOf(ownedCategories);
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

    /** @see EventStore#read */
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return store.read(stream, fromRevision, maxCommits);
        }
    }

    /** @see EventStore#revision */
    public long revision(StreamId stream) {
        try (Purpose.Scope ignored = Purpose.QUERY.enter()) {
            return store.revision(stream);
        }
    }
}
