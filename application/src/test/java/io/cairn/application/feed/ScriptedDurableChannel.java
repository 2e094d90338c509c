package io.cairn.application.feed;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A durable channel of a store without a global order that delivers a script, repeats and all, on a thread of its
 * own, from whatever checkpoint it is given; it refuses the checkpoint {@code "refused"}.
 */
final class ScriptedDurableChannel implements DurableChannel {

    record Delivery(RecordedCommit commit, Checkpoint checkpoint) {
    }

    private final List<Delivery> script;
    private final List<Optional<Checkpoint>> subscribedAfter = new CopyOnWriteArrayList<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    ScriptedDurableChannel(List<Delivery> script) {
        this.script = List.copyOf(script);
    }

    @Override
    public Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        if (after.isPresent() && after.get().value().equals("refused")) {
            throw new IllegalArgumentException("not a checkpoint of this channel: refused");
        }
        subscribedAfter.add(after);
        open.incrementAndGet();
        Thread thread = new Thread(() -> {
            try {
                for (Delivery delivery : script) {
                    listener.onCommit(delivery.commit(), delivery.checkpoint());
                    delivered.incrementAndGet();
                }
            } catch (Exception e) {
                // stopped
            }
        }, "scripted-durable-channel");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            if (thread.isAlive()) {
                thread.interrupt();
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.decrementAndGet();
        };
    }

    List<Optional<Checkpoint>> subscribedAfter() {
        return List.copyOf(subscribedAfter);
    }

    int delivered() {
        return delivered.get();
    }

    int openSubscriptions() {
        return open.get();
    }
}
