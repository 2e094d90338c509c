package io.cairn.application;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import java.util.UUID;

/**
 * The least idempotency the {@link EventStore} port promises: a commit id is recognised at the revision the
 * append would create, nowhere else. Elsewhere it is stored again, as DynamoDB's conditional put would (a fresh
 * id stands in for the repeated one, which the in-memory store underneath would refuse to store twice).
 */
final class IdempotentOnlyAtTheNextRevision extends ForwardingEventStore {

    IdempotentOnlyAtTheNextRevision(EventStore delegate) {
        super(delegate);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        long next = expected.toRevision().orElse(delegate.revision(stream)) + 1;
        var there = delegate.read(stream, next, 1).commits();
        boolean sameAtNext = !there.isEmpty() && there.get(0).commitId().equals(commit.commitId());
        if (sameAtNext || !storedElsewhere(stream, commit.commitId())) {
            return delegate.append(stream, expected, commit);
        }
        return delegate.append(stream, expected, new Commit(UUID.randomUUID(), commit.events(), commit.metadata()));
    }

    private boolean storedElsewhere(StreamId stream, UUID commitId) {
        boolean[] found = {false};
        StreamReader.readToEnd(delegate, stream, 1, c -> found[0] |= c.commitId().equals(commitId));
        return found[0];
    }
}
