package io.cairn.application;

import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.UnreadableEventException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the stored events of an aggregate's commits: every failure to read one becomes an
 * {@link UnreadableEventException} naming its stream, revision, number, type and version. The codec does the
 * reading, upcasting included; this names where it failed.
 */
public final class StoredEvents {

    private StoredEvents() {
    }

    /**
     * The domain event at {@code index} of {@code commit}.
     *
     * @throws UnreadableEventException when the codec cannot read it
     */
    public static <E> E decode(EventCodec<E> codec, RecordedCommit commit, int index) {
        EventData event = commit.events().get(index);
        try {
            return codec.decode(event);
        } catch (UnreadableEventException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnreadableEventException(commit.stream(), commit.revision(), commit.firstEventNumber() + index,
                    event, e);
        }
    }

    /**
     * {@code commit} with every event as the current version of its type ({@link EventCodec#upcast}); the same
     * instance when every event is current already.
     *
     * @throws UnreadableEventException when an event cannot be upcast
     */
    public static RecordedCommit upcast(EventCodec<?> codec, RecordedCommit commit) {
        List<EventData> events = null;
        for (int i = 0; i < commit.events().size(); i++) {
            EventData stored = commit.events().get(i);
            EventData current;
            try {
                current = codec.upcast(stored);
            } catch (RuntimeException e) {
                throw new UnreadableEventException(commit.stream(), commit.revision(), commit.firstEventNumber() + i,
                        stored, e);
            }
            if (current != stored && events == null) {
                events = new ArrayList<>(commit.events().subList(0, i));
            }
            if (events != null) {
                events.add(current);
            }
        }
        return events == null ? commit : new RecordedCommit(commit.stream(), commit.revision(), commit.commitId(),
                commit.firstEventNumber(), events, commit.metadata(), commit.recordedAt(), commit.position());
    }
}
