package io.cairn.application.feed;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.ReleasedCommits;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gate the test drives: {@link #release} calls every listener on the caller's thread. */
final class FakeReleasedCommits implements ReleasedCommits {

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Subscription follow(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Releases a commit of a store with a global order: its checkpoint is its position. */
    void release(RecordedCommit commit) {
        release(commit, Checkpoint.atPosition(commit.position().getAsLong()));
    }

    void release(RecordedCommit commit, Checkpoint checkpoint) {
        for (Listener listener : listeners) {
            listener.released(commit, checkpoint);
        }
    }

    int listeners() {
        return listeners.size();
    }
}
