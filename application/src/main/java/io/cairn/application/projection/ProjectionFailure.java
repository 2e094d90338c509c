package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Why a projection stopped, and where: the commit it could not apply, which it has not applied and will try again
 * when restarted. Nothing after that commit is applied either.
 *
 * @param stream   the commit's stream
 * @param revision the commit's revision
 * @param position the commit's global position, where the store has one
 * @param error    what went wrong: the exception's class and message
 * @param at       when the projection stopped
 */
public record ProjectionFailure(StreamId stream, long revision, OptionalLong position, String error, Instant at) {

    public ProjectionFailure {
        requireNonNull(stream, "stream must not be null");
        requireNonNull(position, "position must not be null");
        requireNonNull(error, "error must not be null");
        requireNonNull(at, "at must not be null");
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
