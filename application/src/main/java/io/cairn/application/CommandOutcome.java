package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Rejection;
import io.cairn.domain.StreamId;

/** What became of a command. A technical failure is an exception instead. */
public sealed interface CommandOutcome permits CommandOutcome.Accepted, CommandOutcome.Rejected {

    StreamId stream();

    /**
     * The command's commit is in the stream (or the command changed nothing).
     *
     * @param revision the stream's revision with the command applied
     * @param replayed true when the command had been handled before (same command id) and nothing was appended now
     */
    record Accepted(StreamId stream, long revision, boolean replayed) implements CommandOutcome {
        public Accepted {
            requireNonNull(stream, "stream must not be null");
        }
    }

    /** A business rule refused the command; nothing was appended. */
    record Rejected(StreamId stream, Rejection rejection) implements CommandOutcome {
        public Rejected {
            requireNonNull(stream, "stream must not be null");
            requireNonNull(rejection, "rejection must not be null");
        }
    }
}
