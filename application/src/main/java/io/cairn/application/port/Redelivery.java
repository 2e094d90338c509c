package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The redeliver-until-accepted loop every {@link DurableChannel} owes its listener: a delivery whose listener
 * throws is tried again after a pause, until the listener takes it or the subscription stops. Skipping a commit
 * would lose it for good, so anything short of the JVM failing ({@link VirtualMachineError}) is retried.
 *
 * <p>Used by one subscription thread at a time; holds no state of its own beyond its settings.
 */
public final class Redelivery {

    private static final System.Logger LOG = System.getLogger(Redelivery.class.getName());

    private final Duration pause;
    private final Pause pauser;
    private final BooleanSupplier running;

    /**
     * @param pause   how long to wait before a failed delivery is tried again, for the log; not null
     * @param pauser  waits that long (and may return early when the subscription stops); not null
     * @param running whether the subscription still runs; not null
     */
    public Redelivery(Duration pause, Pause pauser, BooleanSupplier running) {
        this.pause = requireNonNull(pause, "pause must not be null");
        this.pauser = requireNonNull(pauser, "pauser must not be null");
        this.running = requireNonNull(running, "running must not be null");
    }

    /**
     * Hands {@code commit} with {@code checkpoint} to {@code listener} until it returns normally.
     *
     * @return true when the listener took it; false when the subscription stopped first (it may not have)
     * @throws InterruptedException when the pause is interrupted
     * @throws VirtualMachineError  when the listener throws one: that is not retried
     */
    public boolean deliver(DurableChannel.Listener listener, RecordedCommit commit, Checkpoint checkpoint)
            throws InterruptedException {
        while (running.getAsBoolean()) {
            try {
                listener.onCommit(commit, checkpoint);
                return true;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "delivery of " + commit.stream() + "@" + commit.revision()
                        + (commit.position().isPresent() ? " (position " + commit.position().getAsLong() + ")" : "")
                        + " failed; retrying in " + pause.toMillis() + " ms", e);
                pauser.pause();
            }
        }
        return false;
    }

    /** Waits out the pause between two attempts. */
    @FunctionalInterface
    public interface Pause {
        /** @throws InterruptedException when interrupted while waiting */
        void pause() throws InterruptedException;
    }
}
