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
     * Feeds every commit with {@code from <= revision <= to} to {@code sink}, in order.
     *
     * @return the revision of the last commit fed, or {@code from - 1} when there was none
     */
    static long readRange(EventStore store, StreamId stream, long from, long to, Consumer<RecordedCommit> sink) {
        long next = from;
        while (next <= to) {
            int want = (int) Math.min(EventStore.MAX_SLICE, to - next + 1);
            StreamSlice slice = store.read(stream, next, want);
            for (RecordedCommit commit : slice.commits()) {
                if (commit.revision() > to) {
                    return next - 1;
                }
                sink.accept(commit);
                next = commit.revision() + 1;
            }
            if (slice.commits().isEmpty() || slice.endOfStream()) {
                break;
            }
        }
        return next - 1;
    }

    static long readToEnd(EventStore store, StreamId stream, long from, Consumer<RecordedCommit> sink) {
        return readRange(store, stream, from, Long.MAX_VALUE - 1, sink);
    }
}
