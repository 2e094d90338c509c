package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.Snapshot;
import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/** Folds stored commits into an aggregate's state: the one place where events are decoded and applied. */
public final class Replayer<E, S> {

    private final Aggregate<?, E, S> aggregate;
    private final EventCodec<E> codec;

    public Replayer(Aggregate<?, E, S> aggregate, EventCodec<E> codec) {
        this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
        this.codec = requireNonNull(codec, "codec must not be null");
    }

    /** The aggregate's state before a stream's first commit. */
    public S initialState() {
        return aggregate.initialState();
    }

    /**
     * {@code from} moved on by {@code commit}, which must be the very next commit of its stream.
     *
     * @throws IllegalArgumentException  when {@code commit} does not follow {@code from}
     * @throws io.cairn.domain.UnreadableEventException when one of its events cannot be read (decoded, upcast)
     */
    public Snapshot<S> apply(Snapshot<S> from, RecordedCommit commit) {
        if (!commit.stream().equals(from.stream()) || commit.revision() != from.revision() + 1) {
            throw new IllegalArgumentException("commit " + commit.stream() + "@" + commit.revision()
                    + " does not follow " + from.stream() + "@" + from.revision());
        }
        S state = from.state();
        for (int i = 0; i < commit.events().size(); i++) {
            state = aggregate.evolve(state, StoredEvents.decode(codec, commit, i));
        }
        return from.next(state, commit.commitId());
    }

    /** {@code from} moved on by freshly decided events stored as {@code commitId}. */
    public Snapshot<S> apply(Snapshot<S> from, List<E> events, UUID commitId) {
        return from.next(aggregate.fold(from.state(), events), commitId);
    }

    /**
     * Reads every commit after {@code from} to the end of its stream and folds them in.
     *
     * @param watchFor a commit id to look out for among the commits read, or null
     */
    public CatchUp<S> catchUp(EventStore store, Snapshot<S> from, UUID watchFor) {
        CatchUpSink sink = new CatchUpSink(from, watchFor);
        StreamReader.readToEnd(store, from.stream(), from.revision() + 1, sink::accept);
        return sink.result();
    }

    /**
     * Reads the commits after {@code from} up to revision {@code upTo} (fewer if the stream ends) and folds them in;
     * reads no commit past {@code upTo} ({@link EventStore#readUpTo}).
     */
    public CatchUp<S> catchUp(EventStore store, Snapshot<S> from, long upTo, UUID watchFor) {
        CatchUpSink sink = new CatchUpSink(from, watchFor);
        if (upTo > from.revision()) {
            StreamReader.readRange(store, from.stream(), from.revision() + 1, upTo, sink::accept);
        }
        return sink.result();
    }

    /**
     * The result of a catch-up read.
     *
     * @param commitsRead how many commits were read (and folded)
     * @param bytesRead   their approximate stored size
     * @param watched     the revision of the watched-for commit id, when it was among them
     */
    public record CatchUp<S>(Snapshot<S> snapshot, long commitsRead, long bytesRead, OptionalLong watched) {
    }

    private final class CatchUpSink {
        Snapshot<S> current;
        final UUID watchFor;
        long commits;
        long bytes;
        OptionalLong found = OptionalLong.empty();

        CatchUpSink(Snapshot<S> start, UUID watchFor) {
            this.current = start;
            this.watchFor = watchFor;
        }

        CatchUp<S> result() {
            return new CatchUp<>(current, commits, bytes, found);
        }

        void accept(RecordedCommit commit) {
            current = apply(current, commit);
            commits++;
            for (EventData event : commit.events()) {
                bytes += event.approximateSize();
            }
            if (commit.commitId().equals(watchFor)) {
                found = OptionalLong.of(commit.revision());
            }
        }
    }
}
