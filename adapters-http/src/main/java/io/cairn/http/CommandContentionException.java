package io.cairn.http;

import io.cairn.domain.WrongExpectedRevision;

/**
 * A command lost to other writers on its aggregate as many times as the command handler retries. Unlike a
 * {@code /streams} conflict, the client stated no expected revision: the same request may well succeed now.
 */
final class CommandContentionException extends RuntimeException {

    CommandContentionException(String what, WrongExpectedRevision cause) {
        super(what + " kept changing under this command; retry it with the same Idempotency-Key",
                cause);
    }

    /** The last conflict the command handler gave up on. */
    WrongExpectedRevision conflict() {
        return (WrongExpectedRevision) getCause();
    }
}
