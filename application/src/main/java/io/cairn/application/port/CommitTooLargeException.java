package io.cairn.application.port;

import io.cairn.domain.StreamId;

/** A commit is bigger than the store can hold in one atomic write. Permanent; nothing was stored. */
public final class CommitTooLargeException extends RuntimeException {

    private final StreamId stream;
    private final long size;
    private final long limit;

    public CommitTooLargeException(StreamId stream, long size, long limit) {
        super("commit to " + stream + " is " + size + " bytes; the store takes at most " + limit);
        this.stream = stream;
        this.size = size;
        this.limit = limit;
    }

    public StreamId stream() {
        return stream;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
