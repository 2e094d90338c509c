package io.cairn.http;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An event store that can be made unreachable, or made to hold appends until released. */
final class ControllableEventStore implements EventStore {

    private final EventStore delegate;
    private volatile boolean down;
    private volatile RuntimeException bug;
    private volatile boolean alwaysConflicting;
    private volatile CountDownLatch gate;
    private volatile CountDownLatch entered;
    private final AtomicInteger appends = new AtomicInteger();

    ControllableEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    /** Every call throws {@link StoreUnavailableException} until {@link #reset()}. */
    void goDown() {
        down = true;
    }

    /** Every call throws {@code failure}, as a bug would, until {@link #reset()}. */
    void breakWith(RuntimeException failure) {
        bug = failure;
    }

    /** Every append loses to an imaginary other writer, until {@link #reset()}. */
    void conflictOnEveryAppend() {
        alwaysConflicting = true;
    }

    /** Appends wait until {@link #release()}; {@link #awaitAppendHeld()} returns once one waits. */
    void holdAppends() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    boolean awaitAppendHeld() throws InterruptedException {
        return entered.await(10, TimeUnit.SECONDS);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    void reset() {
        down = false;
        bug = null;
        alwaysConflicting = false;
        release();
    }

    /** Appends that reached the store. */
    int appends() {
        return appends.get();
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        failIfDown();
        CountDownLatch g = gate;
        if (g != null) {
            entered.countDown();
            try {
                if (!g.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("append held for too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (alwaysConflicting) {
            // as a store that can tell the actual revision would (the in-memory and PostgreSQL stores can)
            throw new WrongExpectedRevision(stream, expected, OptionalLong.of(delegate.revision(stream)));
        }
        appends.incrementAndGet();
        return delegate.append(stream, expected, commit);
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        failIfDown();
        return delegate.read(stream, fromRevision, maxCommits);
    }

    @Override
    public long revision(StreamId stream) {
        failIfDown();
        return delegate.revision(stream);
    }

    private void failIfDown() {
        RuntimeException failure = bug;
        if (failure != null) {
            throw failure;
        }
        if (down) {
            throw new StoreUnavailableException("the test took the store down", new java.io.IOException("connection refused"));
        }
    }
}
