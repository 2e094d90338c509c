package io.cairn.application;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;

/** A store that passes every call to a real one; the tests' store decorators override what they change. */
abstract class ForwardingEventStore implements EventStore {

    protected final EventStore delegate;

    ForwardingEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        return delegate.append(stream, expected, commit);
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        return delegate.read(stream, fromRevision, maxCommits);
    }

    @Override
    public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        return delegate.readUpTo(stream, fromRevision, toRevision, maxCommits);
    }

    @Override
    public long revision(StreamId stream) {
        return delegate.revision(stream);
    }
}
