package io.cairn.application.memory;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.EventStores;
import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.StreamSlice;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import io.cairn.domain.WrongExpectedRevision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An event store in the heap, with a global order: for tests and for trying Cairn out. Thread-safe; one
 * read-write lock guards everything, which is plenty for its purpose. Recognises a retried commitId anywhere
 * in its stream.
 */
public final class InMemoryEventStore implements EventStore, GlobalLog, HealthCheck {

    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition appended = lock.writeLock().newCondition();
    private final Map<StreamId, List<RecordedCommit>> streams = new HashMap<>();
    private final Map<StreamId, Map<UUID, Long>> commitIds = new HashMap<>();
    private final List<RecordedCommit> log = new ArrayList<>();

    public InMemoryEventStore() {
        this(Clock.systemUTC());
    }

    public InMemoryEventStore(Clock clock) {
        this.clock = requireNonNull(clock, "clock must not be null");
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
        EventStores.checkAppend(stream, expected, commit);
        lock.writeLock().lock();
        try {
            List<RecordedCommit> commits = streams.getOrDefault(stream, List.of());
            long current = commits.size();
            Long earlier = commitIds.getOrDefault(stream, Map.of()).get(commit.commitId());
            if (earlier != null) {
                return new AppendResult(commits.get((int) (long) earlier - 1), true);
            }
            OptionalLong wanted = expected.toRevision();
            if (wanted.isPresent() && wanted.getAsLong() != current) {
                throw new WrongExpectedRevision(stream, expected, OptionalLong.of(current));
            }
            long firstEventNumber = commits.isEmpty() ? 1 : commits.get(commits.size() - 1).lastEventNumber() + 1;
            RecordedCommit recorded = RecordedCommit.of(stream, current + 1, firstEventNumber, commit, clock.instant(),
                    OptionalLong.of(log.size() + 1L));
            streams.computeIfAbsent(stream, s -> new ArrayList<>()).add(recorded);
            commitIds.computeIfAbsent(stream, s -> new HashMap<>()).put(commit.commitId(), recorded.revision());
            log.add(recorded);
            appended.signalAll();
            return new AppendResult(recorded, false);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
        EventStores.checkRead(stream, fromRevision, maxCommits);
        lock.readLock().lock();
        try {
            List<RecordedCommit> commits = streams.getOrDefault(stream, List.of());
            int from = (int) Math.min(fromRevision - 1, commits.size());
            int to = (int) Math.min((long) from + Math.min(maxCommits, EventStore.MAX_SLICE), commits.size());
            return new StreamSlice(stream, fromRevision, new ArrayList<>(commits.subList(from, to)), to == commits.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
        int wanted = EventStores.checkReadUpTo(stream, fromRevision, toRevision, maxCommits);
        lock.readLock().lock();
        try {
            List<RecordedCommit> commits = streams.getOrDefault(stream, List.of());
            int from = (int) Math.min(fromRevision - 1, commits.size());
            int to = (int) Math.min((long) from + wanted, commits.size());
            return new StreamSlice(stream, fromRevision, new ArrayList<>(commits.subList(from, to)), to - from < wanted);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long revision(StreamId stream) {
        requireNonNull(stream, "stream must not be null");
        lock.readLock().lock();
        try {
            return streams.getOrDefault(stream, List.of()).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long headPosition() {
        lock.readLock().lock();
        try {
            return log.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public GlobalSlice readAll(long fromPosition, int maxCommits) {
        EventStores.checkReadAll(fromPosition, maxCommits);
        lock.readLock().lock();
        try {
            int from = (int) Math.min(Math.max(fromPosition, 1) - 1, log.size());
            int to = Math.min(log.size(), from + Math.min(maxCommits, GlobalLog.MAX_SLICE));
            return new GlobalSlice(fromPosition, new ArrayList<>(log.subList(from, to)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Commits in global order from {@code fromPosition} (1-based), at most {@code max}; waits up to
     * {@code wait} when there is none yet.
     */
    public List<RecordedCommit> readAll(long fromPosition, int max, long wait, TimeUnit unit) throws InterruptedException {
        if (fromPosition < 1) {
            throw new IllegalArgumentException("fromPosition must be >= 1, was " + fromPosition);
        }
        lock.writeLock().lock();
        try {
            long deadline = System.nanoTime() + unit.toNanos(wait);
            while (log.size() < fromPosition) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                appended.awaitNanos(left);
            }
            int from = (int) fromPosition - 1;
            return new ArrayList<>(log.subList(from, Math.min(log.size(), from + max)));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String name() {
        return "event-store";
    }

    @Override
    public void check() {
        // the heap is always there
    }
}
