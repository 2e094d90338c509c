package io.cairn.domain;

/**
 * Turns an aggregate's state into JSON text and back, for snapshots and views kept outside the process.
 * Implementations are thread-safe.
 *
 * @param <S> the state type
 */
public interface StateCodec<S> {

    String encode(S state);

    /** @throws InvalidInputException when {@code json} is not a state of this schema */
    S decode(String json);

    /** Bumped whenever the encoded shape changes; a stored state of another version is rebuilt from events. */
    int schemaVersion();
}
