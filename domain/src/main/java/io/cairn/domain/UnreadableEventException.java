package io.cairn.domain;

import static java.util.Objects.requireNonNull;

/**
 * A stored event that cannot be read as a current event of its aggregate: its type is unknown, its version is
 * newer than the registered one, no upcaster leads from its version to the current one, or its data (upcast or
 * not) does not fit the type. Permanent: reading the same event fails the same way until the domain registers what
 * reads it. Where it is hit, a command or query fails with it (answered over HTTP as a 500 problem
 * {@code unreadable-event} naming the event: the stored data, not the request, is at fault) and a projection stops at the event's commit, showing the message.
 */
public final class UnreadableEventException extends InvalidInputException {

    private final StreamId stream;
    private final long revision;
    private final long eventNumber;
    private final String type;
    private final int version;

    /**
     * @param stream      the event's stream, not null
     * @param revision    the revision of its commit
     * @param eventNumber its number in the stream
     * @param event       the event as stored, not null
     * @param cause       why it cannot be read, not null; its message is part of this one's
     */
    public UnreadableEventException(StreamId stream, long revision, long eventNumber, EventData event,
                                    RuntimeException cause) {
        super("event", "the stored event " + requireNonNull(stream, "stream must not be null") + " #" + eventNumber
                + " (revision " + revision + ", type " + requireNonNull(event, "event must not be null").type()
                + ", version " + event.version() + ") cannot be read: "
                + requireNonNull(cause, "cause must not be null").getMessage());
        initCause(cause);
        this.stream = stream;
        this.revision = revision;
        this.eventNumber = eventNumber;
        this.type = event.type();
        this.version = event.version();
    }

    /** The stream of the event. */
    public StreamId stream() {
        return stream;
    }

    /** The revision of the event's commit. */
    public long revision() {
        return revision;
    }

    /** The event's number in its stream. */
    public long eventNumber() {
        return eventNumber;
    }

    /** The event's type as stored. */
    public String type() {
        return type;
    }

    /** The event's version as stored. */
    public int version() {
        return version;
    }
}
