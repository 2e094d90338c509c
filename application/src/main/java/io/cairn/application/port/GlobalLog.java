package io.cairn.application.port;

/**
 * A store's global order of commits, where it has one (PostgreSQL and the in-memory store; DynamoDB has none).
 *
 * <p>Positions are 1-based, gap-free and consistent with commit order: a commit at position p is visible to a
 * reader only once every commit at a lower position is, so a reader that follows positions never skips one.
 * Implementations are thread-safe.
 */
public interface GlobalLog {

    /** The largest number of commits {@link #readAll} returns in one slice, whatever {@code maxCommits} asks for. */
    int MAX_SLICE = 1_000;

    /**
     * Reads committed commits in global order, starting at {@code fromPosition}.
     *
     * @param fromPosition the first position wanted, {@code >= 0}; 0 and 1 both start at the beginning
     * @param maxCommits   the most commits wanted, {@code >= 1}; capped at {@link #MAX_SLICE}
     * @return the commits with position {@code >= fromPosition}, ascending and consecutive, each with its position
     * @throws IllegalArgumentException  for {@code fromPosition < 0} or {@code maxCommits < 1}
     * @throws StoreUnavailableException when the store cannot be reached
     */
    GlobalSlice readAll(long fromPosition, int maxCommits);

    /**
     * The position of the last commit visible now, 0 when the log is empty: also how many commits the store holds
     * (positions are 1-based and gap-free). What a rebuild catches up with and counts its progress against.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    long headPosition();
}
