package io.cairn.application;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a real store and counts what goes through it, so tests can assert the cost of an operation. */
final class CountingEventStore extends ForwardingEventStore {

    final AtomicInteger appends = new AtomicInteger();
    final AtomicInteger rejectedAppends = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger commitsRead = new AtomicInteger();
    /** Reads through {@link EventStore#readUpTo}, also counted in {@link #reads}. */
    final AtomicInteger boundedReads = new AtomicInteger();
    final AtomicInteger revisionLookups = new AtomicInteger();

    CountingEventStore(EventStore delegate) {
        super(delegate);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        appends.incrementAndGet();
        try {
            return delegate.append(stream, expected, commit);
        } catch (WrongExpectedRevision e) {
            rejectedAppends.incrementAndGet();
            throw e;
        }
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        reads.incrementAndGet();
        StreamSlice slice = delegate.read(stream, fromRevision, maxCommits);
        commitsRead.addAndGet(slice.commits().size());
        return slice;
    }

    @Override
    public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        reads.incrementAndGet();
        boundedReads.incrementAndGet();
        StreamSlice slice = delegate.readUpTo(stream, fromRevision, toRevision, maxCommits);
        commitsRead.addAndGet(slice.commits().size());
        return slice;
    }

    @Override
    public long revision(StreamId stream) {
        revisionLookups.incrementAndGet();
        return super.revision(stream);
    }

    void reset() {
        appends.set(0);
        rejectedAppends.set(0);
        reads.set(0);
        commitsRead.set(0);
        boundedReads.set(0);
        revisionLookups.set(0);
    }
}
