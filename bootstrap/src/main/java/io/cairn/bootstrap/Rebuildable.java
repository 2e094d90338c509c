package io.cairn.bootstrap;

import static java.util.Objects.requireNonNull;

import io.cairn.application.projection.ProjectionCatalog;
import io.cairn.disruptor.DisruptorProjector;

/**
 * One projection that can be rebuilt (an aggregate's views, a document projection): how to wire any of its
 * generations, and what else than the {@link ProjectionCatalog} entry a switch to a new generation swaps. The live
 * feed is not one: it keeps no state, and its effects are deliveries. Thread-safe.
 */
interface Rebuildable {

    /** The name it is listed under at {@code GET /projections}: generation 1's projection name. */
    String name();

    ProjectionCatalog.Kind kind();

    /** The version registered now (an aggregate view's: its state schema version). */
    int version();

    /** The generation wired at start-up: the active one. */
    Generation first();

    /**
     * Wires generation {@code generation} for a rebuild, not started: its own stores under derived names, its own
     * ring and checkpoint, a durable subscription of its own (not the shared one, which the live projectors follow
     * from their checkpoints), no fast channel, no listeners or followers; also what deletes a retired generation.
     */
    Generation build(int generation);

    /** Makes {@code generation} the one commands and queries read, beside its catalog entry: one reference swap. */
    void activate(Generation generation);

    /**
     * One generation, wired.
     *
     * @param number    its generation number
     * @param projector its projector, started or not
     * @param erase     deletes everything it stored: its views or documents and states, and its checkpoint
     */
    record Generation(int number, DisruptorProjector projector, Runnable erase) {
        public Generation {
            requireNonNull(projector, "projector must not be null");
            requireNonNull(erase, "erase must not be null");
        }
    }
}
