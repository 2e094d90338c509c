package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.Purpose;
import java.util.Objects;

/**
 * Saves the durable channel's checkpoint of a projection in stream order. It runs after every shard has processed
 * (and stored the views of) a commit, so the checkpoint it saves covers only commits whose effect is stored: the
 * contiguous prefix of the durable channel's deliveries. Saved at the end of a batch, at most once per the
 * projection's checkpoint interval, and when the projector stops. Not thread-safe: one thread drives it.
 */
public final class CheckpointKeeper {

    private final Projection<?, ?> projection;
    private final Projection<?, ?>.CheckpointPace pace;
    private Checkpoint latest;
    private Checkpoint saved;

    CheckpointKeeper(Projection<?, ?> projection) {
        this.projection = projection;
        this.pace = projection.new CheckpointPace();
        this.saved = projection.savedCheckpoint().orElse(null);
    }

    /**
     * @param delivery not null: how a commit every shard has processed came; a durable one's checkpoint is the
     *                 latest to save, a fast one moves nothing
     */
    public void accept(Delivery delivery) {
        if (delivery instanceof Delivery.Durable durable) {
            latest = durable.checkpoint();
        }
    }

    /**
     * How long until {@link #endOfBatch} would save: the checkpoint interval's remainder when the latest checkpoint
     * has not been saved, {@link Long#MAX_VALUE} when it has (or the projection stopped).
     */
    public long nanosUntilDue() {
        if (latest == null || Objects.equals(latest, saved) || projection.failure() != null) {
            return Long.MAX_VALUE;
        }
        return pace.nanosUntilDue();
    }

    /** Saves the latest checkpoint, if it moved and the projection's checkpoint interval allows. */
    public void endOfBatch() {
        save(false);
    }

    /** Saves the latest checkpoint if it moved, whatever the interval: when the projector stops. */
    public void finish() {
        save(true);
    }

    private void save(boolean force) {
        Checkpoint due = latest;
        if (projection.failure() != null) {
            return; // stopped: the channel must deliver again what the projection has not applied
        }
        if (due == null || Objects.equals(due, saved) || !force && !pace.due()) {
            return;
        }
        try (Purpose.Scope ignored = Purpose.PROJECTION.enter()) {
            projection.saveCheckpoint(due);
        }
        saved = due;
        pace.saved();
        projection.saved(due);
    }
}
