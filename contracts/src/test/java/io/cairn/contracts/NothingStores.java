package io.cairn.contracts;

import io.cairn.application.port.AppendResult;
import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.StreamSlice;
import io.cairn.application.port.Subscription;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.Commit;
import io.cairn.domain.ExpectedRevision;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stores that answer plausibly and keep nothing: every contract test must fail against them, or it tests
 * nothing.
 */
final class NothingStores {

    private NothingStores() {
    }

    static final class NothingEventStore implements EventStore {
        @Override
        public AppendResult append(StreamId stream, ExpectedRevision expected, Commit commit) {
            long revision = expected.toRevision().orElse(0) + 1;
            return new AppendResult(RecordedCommit.of(stream, revision, revision, commit, Instant.now(),
                    OptionalLong.empty()), false);
        }

        @Override
        public StreamSlice read(StreamId stream, long fromRevision, int maxCommits) {
            return new StreamSlice(stream, fromRevision, List.of(), true);
        }

        @Override
        public StreamSlice readUpTo(StreamId stream, long fromRevision, long toRevision, int maxCommits) {
            return new StreamSlice(stream, fromRevision, List.of(), true);
        }

        @Override
        public long revision(StreamId stream) {
            return 0;
        }
    }

    static final class NothingSnapshotStore<S> implements SnapshotStore<S> {
        @Override
        public Optional<Snapshot<S>> load(StreamId stream) {
            return Optional.empty();
        }

        @Override
        public boolean save(Snapshot<S> snapshot) {
            return true;
        }
    }

    static final class NothingViewStore<S> implements ViewStore<S> {
        @Override
        public Optional<Snapshot<S>> get(StreamId stream) {
            return Optional.empty();
        }

        @Override
        public boolean put(Snapshot<S> view, long replacing) {
            return true;
        }

        @Override
        public void deleteAll() {
            // keeps nothing
        }
    }

    static final class NothingCheckpointStore implements CheckpointStore {
        @Override
        public Optional<Checkpoint> load(String projection) {
            return Optional.empty();
        }

        @Override
        public void save(String projection, Checkpoint checkpoint) {
            // keeps nothing
        }

        @Override
        public void delete(String projection) {
            // keeps nothing
        }
    }

    static final class NothingDurableChannel implements DurableChannel {
        @Override
        public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
            return () -> { };
        }
    }
}
