package io.cairn.application;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.util.function.Consumer;

/** Reads a stream's commits from a revision to its end (or a bound), slice by slice. */
final class StreamReader {

    private StreamReader() {
    }

    /**
     * Feeds every commit with {@code from <= revision <= to} to {@code sink}, in order, through the store's bounded
     * reads ({@link EventStore#readUpTo}): no commit past {@code to} is read.
     *
     * @return the revision of the last commit fed, or {@code from - 1} when there was none
     */
    static long readRange(EventStore store, StreamId stream, long from, long to, Consumer<RecordedCommit> sink) {
        long next = from;
        while (next <= to) {
            StreamSlice slice = store.readUpTo(stream, next, to, EventStore.MAX_SLICE);
            for (RecordedCommit commit : slice.commits()) {
                sink.accept(commit);
                next = commit.revision() + 1;
            }
            if (slice.commits().isEmpty() || slice.endOfStream()) {
                break;
            }
        }
        return next - 1;
    }

    /**
     * Feeds every commit from revision {@code from} to the end of the stream to {@code sink}, in order.
     *
     * @return the revision of the last commit fed, or {@code from - 1} when there was none
     */
    static long readToEnd(EventStore store, StreamId stream, long from, Consumer<RecordedCommit> sink) {
        long next = from;
        while (true) {
            StreamSlice slice = store.read(stream, next, EventStore.MAX_SLICE);
            for (RecordedCommit commit : slice.commits()) {
                sink.accept(commit);
                next = commit.revision() + 1;
            }
            if (slice.commits().isEmpty() || slice.endOfStream()) {
                return next - 1;
            }
        }
    }
}
