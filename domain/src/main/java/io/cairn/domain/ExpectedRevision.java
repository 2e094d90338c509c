package io.cairn.domain;

import java.util.OptionalLong;

/**
 * What the writer believes the stream's revision to be when it appends: the optimistic-concurrency condition.
 * A revision is a stream's commit count, so 0 means "no stream".
 */
public sealed interface ExpectedRevision permits ExpectedRevision.Exact, ExpectedRevision.NoStream, ExpectedRevision.Any {

    NoStream NO_STREAM = new NoStream();
    Any ANY = new Any();

    /** The stream must be at exactly {@code revision}; 0 is the same as {@link #NO_STREAM}. */
    static ExpectedRevision exactly(long revision) {
        InvalidInputException.check(revision >= 0, "expectedRevision", "expected revision must be >= 0, was " + revision);
        return revision == 0 ? NO_STREAM : new Exact(revision);
    }

    /** The revision the stream must be at, or empty for {@link Any}. */
    OptionalLong toRevision();

    /** The stream must have exactly {@code revision >= 1} commits. */
    record Exact(long revision) implements ExpectedRevision {
        public Exact {
            InvalidInputException.check(revision >= 1, "expectedRevision", "an exact expected revision must be >= 1, was " + revision);
        }

        @Override
        public OptionalLong toRevision() {
            return OptionalLong.of(revision);
        }

        @Override
        public String toString() {
            return Long.toString(revision);
        }
    }

    /** The stream must not exist yet. */
    record NoStream() implements ExpectedRevision {
        @Override
        public OptionalLong toRevision() {
            return OptionalLong.of(0);
        }

        @Override
        public String toString() {
            return "no_stream";
        }
    }

    /** No condition: the commit goes after whatever the stream holds. */
    record Any() implements ExpectedRevision {
        @Override
        public OptionalLong toRevision() {
            return OptionalLong.empty();
        }

        @Override
        public String toString() {
            return "any";
        }
    }
}
