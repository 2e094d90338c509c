package io.cairn.application.feed;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.RecordedCommit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps what a subscription sends; can be held (its first commit waits for {@link #letGo()}) or made to throw. */
final class RecordingSink implements CommitFeed.Sink {

    static final Duration WAIT = Duration.ofSeconds(10);

    record Received(RecordedCommit commit, Checkpoint id) {
    }

    record End(CommitFeed.Ending ending, String detail) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicReference<End> end = new AtomicReference<>();
    private final AtomicInteger endings = new AtomicInteger();
    private final CountDownLatch held;
    private final CountDownLatch holding = new CountDownLatch(1);
    private volatile boolean failing;

    private RecordingSink(boolean held) {
        this.held = new CountDownLatch(held ? 1 : 0);
    }

    static RecordingSink recording() {
        return new RecordingSink(false);
    }

    /** A sink whose first commit waits until {@link #letGo()}: a reader that stopped reading. */
    static RecordingSink held() {
        return new RecordingSink(true);
    }

    /** A sink whose every call throws: a reader that is gone. */
    static RecordingSink failing() {
        RecordingSink sink = new RecordingSink(false);
        sink.failing = true;
        return sink;
    }

    @Override
    public void commit(RecordedCommit commit, Checkpoint id) throws Exception {
        if (failing) {
            throw new java.io.IOException("the reader is gone");
        }
        holding.countDown();
        held.await();
        received.add(new Received(commit, id));
    }

    @Override
    public void heartbeat() throws Exception {
        if (failing) {
            throw new java.io.IOException("the reader is gone");
        }
        heartbeats.incrementAndGet();
    }

    @Override
    public void ended(CommitFeed.Ending ending, String detail) {
        endings.incrementAndGet();
        end.set(new End(ending, detail));
    }

    void letGo() {
        held.countDown();
    }

    void awaitHolding() throws InterruptedException {
        if (!holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no commit came to the held sink");
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Long> positions() {
        List<Long> positions = new ArrayList<>();
        for (Received r : received) {
            positions.add(r.id().position());
        }
        return positions;
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Received r : received) {
            ids.add(r.id() == null ? null : r.id().value());
        }
        return ids;
    }

    int size() {
        return received.size();
    }

    int heartbeats() {
        return heartbeats.get();
    }

    End end() {
        return end.get();
    }

    int endings() {
        return endings.get();
    }

    /** The last id received is {@code position}. */
    boolean reached(long position) {
        List<Received> now = received();
        return !now.isEmpty() && now.get(now.size() - 1).id().position() >= position;
    }
}
