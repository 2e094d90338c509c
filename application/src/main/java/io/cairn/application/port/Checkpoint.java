package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

/**
 * How far a projection has durably processed its durable channel: an opaque token that only the channel that
 * issued it interprets (a global position on PostgreSQL and in memory; shard positions on DynamoDB Streams).
 *
 * @param value non-empty
 */
public record Checkpoint(String value) {

    public Checkpoint {
        requireNonNull(value, "value must not be null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("value must not be empty");
        }
    }

    public static Checkpoint atPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        return new Checkpoint(Long.toString(position));
    }

    /**
     * @throws IllegalStateException when this checkpoint is not a global position
     */
    public long position() {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("checkpoint '" + value + "' is not a global position", e);
        }
    }
}
