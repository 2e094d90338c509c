package io.cairn.http;

import static java.util.Objects.requireNonNull;

/** A failure the HTTP layer itself detects (a bad header, a body too large); carries its answer. */
final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = requireNonNull(problem, "problem must not be null");
    }

    Problem problem() {
        return problem;
    }
}
