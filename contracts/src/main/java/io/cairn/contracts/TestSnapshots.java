package io.cairn.contracts;

import io.cairn.application.port.Snapshot;
import io.cairn.domain.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds snapshots and views of {@link TestState}:
 * {@code TestSnapshots.aSnapshotOf(stream).at(5).build()}. Unless told otherwise, the state names its revision
 * and the snapshot remembers {@code min(revision, 3)} fresh commit ids, so two builds never compare equal.
 */
public final class TestSnapshots {

    private final StreamId stream;
    private long revision = 1;
    private TestState state;
    private List<UUID> recentCommitIds;

    private TestSnapshots(StreamId stream) {
        this.stream = stream;
    }

    public static TestSnapshots aSnapshotOf(StreamId stream) {
        return new TestSnapshots(stream);
    }

    public TestSnapshots at(long revision) {
        this.revision = revision;
        return this;
    }

    public TestSnapshots withState(TestState state) {
        this.state = state;
        return this;
    }

    public TestSnapshots withState(String name, long counter) {
        return withState(new TestState(name, counter));
    }

    public TestSnapshots rememberingCommits(List<UUID> ids) {
        this.recentCommitIds = List.copyOf(ids);
        return this;
    }

    /** Remembers as many fresh commit ids as a snapshot at this revision can: {@code min(revision, 64)}. */
    public TestSnapshots rememberingAFullWindow() {
        return rememberingCommits(freshIds((int) Math.min(revision, Snapshot.IDEMPOTENCY_WINDOW)));
    }

    public Snapshot<TestState> build() {
        TestState s = state != null ? state : new TestState("at-" + revision + "-" + UUID.randomUUID(), revision);
        List<UUID> ids = recentCommitIds != null ? recentCommitIds : freshIds((int) Math.min(revision, 3));
        return new Snapshot<>(stream, revision, s, ids);
    }

    static List<UUID> freshIds(int n) {
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }
}
