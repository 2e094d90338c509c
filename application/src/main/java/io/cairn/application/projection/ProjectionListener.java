package io.cairn.application.projection;

import io.cairn.domain.RecordedCommit;
import java.util.List;

/**
 * Told what a projection does with each commit, for metrics and measurements. Called on the projection's own
 * threads: implementations must be thread-safe, quick and must not block.
 */
public interface ProjectionListener {

    /**
     * A released commit's effect is visible to queries (its view is in the cache).
     *
     * @param nanoTime {@link System#nanoTime()} when it became visible
     */
    default void visible(RecordedCommit commit, long nanoTime) {
    }

    /**
     * Views with these commits' effects were stored (and, where the projection saves its checkpoint with them,
     * the checkpoint too).
     *
     * @param nanoTime {@link System#nanoTime()} when the store acknowledged the write
     */
    default void stored(List<RecordedCommit> commits, long nanoTime) {
    }
}
