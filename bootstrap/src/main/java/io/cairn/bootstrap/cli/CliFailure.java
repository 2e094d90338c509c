package io.cairn.bootstrap.cli;

/** Why a command of the CLI failed: a message for the operator and the process's exit code. */
final class CliFailure extends RuntimeException {

    /** The rebuild's new generation stopped. */
    static final int STOPPED = 1;
    /** The server could not be reached. */
    static final int UNREACHABLE = 3;
    /** 401 or 403: no credentials, wrong ones, or not the role. */
    static final int REFUSED = 4;
    /** 404: no such projection, or no such route. */
    static final int NOT_FOUND = 5;
    /** 409: not in a state for it (running, a rebuild under way, a kind that does not allow it). */
    static final int CONFLICT = 6;
    /** Any other answer: 501, 5xx, not Cairn. */
    static final int OTHER = 7;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
