package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;

/**
 * Which channel brought a commit to the gate: the two kinds it treats differently. A {@link Fast} commit is a hint
 * that may arrive ahead of its turn, and waits for the missing ones; a {@link Durable} one is stored truth, so the
 * missing ones are read at once, and its checkpoint may be saved once its effect is stored.
 */
public sealed interface Delivery permits Delivery.Fast, Delivery.Durable {

    /** The one fast delivery: it carries nothing. */
    Fast FAST = new Fast();

    /** A commit from the durable channel, with the checkpoint that covers it and everything delivered before it. */
    static Durable durable(Checkpoint checkpoint) {
        return new Durable(checkpoint);
    }

    /** From the fast, in-process channel: published by the appending thread, possibly out of order or lost. */
    record Fast() implements Delivery {
    }

    /** @param checkpoint not null: where the durable channel resumes once this commit's effect is stored */
    record Durable(Checkpoint checkpoint) implements Delivery {
        public Durable {
            requireNonNull(checkpoint, "checkpoint must not be null");
        }
    }
}
