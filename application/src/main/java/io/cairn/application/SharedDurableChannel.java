package io.cairn.application;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.DurableChannel;
import io.cairn.application.port.Redelivery;
import io.cairn.application.port.Subscription;
import io.cairn.domain.RecordedCommit;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One durable subscription for every projector of a process: the store's catch-up channel is read and decoded
 * once, and each subscriber gets every commit through a bounded buffer and a delivery thread of its own. Without
 * it, each aggregate's projector (and the live feed's) would poll the global log or read DynamoDB Streams on its
 * own, and a process with n aggregates would read and decode every commit n + 1 times.
 *
 * <p>Sharing never couples the subscribers' pace, because a subscriber that falls behind leaves: when its buffer
 * is full it is detached and follows the store on a subscription of its own, from the checkpoint of the last
 * commit it was given, so it neither holds up the others nor misses a commit. A failed delivery is retried after
 * a pause ({@link Redelivery}), on the subscriber's own thread.
 *
 * <p>Subscribers join before {@link #open()}: it starts the shared subscription from the checkpoint most of them
 * resume from (after a clean stop they all saved the same one); a subscriber with another checkpoint, or one that
 * subscribes after {@code open}, follows the store on a subscription of its own from its own checkpoint. Once
 * every subscriber has closed, the shared subscription closes, and the next subscribers can share again after the
 * next {@code open}. Thread-safe.
 */
public final class SharedDurableChannel implements DurableChannel {

    private static final System.Logger LOG = System.getLogger(SharedDurableChannel.class.getName());
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    private final DurableChannel source;
    private final int bufferSize;
    private final List<Member> joining = new ArrayList<>();
    private final List<Member> sharing = new ArrayList<>();
    private Subscription shared;
    private boolean open;

    /**
     * @param source     the store's durable channel
     * @param bufferSize commits a subscriber may be behind the shared subscription before it is detached, >= 1
     */
    public SharedDurableChannel(DurableChannel source, int bufferSize) {
        this.source = requireNonNull(source, "source must not be null");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be >= 1, was " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /**
     * Joins the shared subscription (before {@link #open()}) or follows the store on a subscription of its own
     * (after). Deliveries start at {@code open} for those who joined before it.
     *
     * @see DurableChannel#subscribe
     */
    @Override
    public synchronized Subscription subscribe(Optional<Checkpoint> after, Listener listener) {
        requireNonNull(after, "after must not be null");
        requireNonNull(listener, "listener must not be null");
        Member member = new Member(after, listener);
        if (open) {
            member.start();
            member.followAlone(after);
        } else {
            joining.add(member);
        }
        return () -> leave(member);
    }

    /**
     * Starts delivering to the subscribers that joined since the last open: one shared subscription from the
     * checkpoint most of them resume from, and one of their own for the others. Does nothing when none joined.
     *
     * @throws IllegalArgumentException when the source refuses a checkpoint (nothing is delivered then)
     */
    public synchronized void open() {
        if (joining.isEmpty()) {
            open = true;
            return;
        }
        Map<Optional<Checkpoint>, List<Member>> byCheckpoint = new LinkedHashMap<>();
        for (Member member : joining) {
            byCheckpoint.computeIfAbsent(member.after, key -> new ArrayList<>()).add(member);
        }
        Optional<Checkpoint> from = null;
        for (Map.Entry<Optional<Checkpoint>, List<Member>> group : byCheckpoint.entrySet()) {
            if (from == null || group.getValue().size() > byCheckpoint.get(from).size()) {
                from = group.getKey();
            }
        }
        List<Member> members = List.copyOf(joining);
        joining.clear();
        open = true;
        boolean canShare = shared == null; // a shared subscription already running cannot take on late joiners
        for (Member member : members) {
            member.start();
            if (canShare && member.after.equals(from)) {
                sharing.add(member);
            } else {
                member.followAlone(member.after);
            }
        }
        if (canShare && !sharing.isEmpty()) {
            List<Member> fed = List.copyOf(sharing);
            shared = source.subscribe(from, new Listener() {
                @Override
                public void onCommit(RecordedCommit commit, Checkpoint checkpoint) {
                    for (Member member : fed) {
                        member.offer(commit, checkpoint);
                    }
                }

                /** What every member still on the shared subscription has by other means. */
                @Override
                public long hasThrough() {
                    long through = Long.MAX_VALUE;
                    for (Member member : fed) {
                        if (!member.alone) {
                            through = Math.min(through, member.listener.hasThrough());
                        }
                    }
                    return through == Long.MAX_VALUE ? 0 : through;
                }
            });
        }
    }

    /** Subscribers on the shared subscription now (detached and alone ones not counted), for tests and metrics. */
    public synchronized int sharing() {
        return sharing.size();
    }

    private void leave(Member member) {
        Subscription toClose = null;
        synchronized (this) {
            joining.remove(member);
            if (sharing.remove(member) && sharing.isEmpty()) {
                toClose = shared;
                shared = null;
            }
            if (joining.isEmpty() && sharing.isEmpty() && shared == null) {
                open = false;
            }
        }
        member.close();
        if (toClose != null) {
            toClose.close();
        }
    }

    private synchronized void detached(Member member) {
        sharing.remove(member);
    }

    /** One subscriber: its buffer, its delivery thread, and, once detached or alone, its own subscription. */
    private final class Member {
        final Optional<Checkpoint> after;
        final Listener listener;
        final BlockingQueue<Delivered> buffer = new ArrayBlockingQueue<>(bufferSize);
        volatile boolean running = true;
        /** Written by the shared subscription's thread only. */
        volatile boolean alone;
        Checkpoint lastOffered;
        Subscription own;
        Thread thread;
        final Redelivery redelivery = new Redelivery(RETRY_PAUSE,
                () -> Thread.sleep(RETRY_PAUSE.toMillis()), () -> running);

        Member(Optional<Checkpoint> after, Listener listener) {
            this.after = after;
            this.listener = listener;
        }

        void start() {
            thread = new Thread(this::deliver, "cairn-durable-share");
            thread.setDaemon(true);
            thread.start();
        }

        /** From the shared subscription's thread: never blocks; a full buffer detaches this subscriber. */
        void offer(RecordedCommit commit, Checkpoint checkpoint) {
            if (alone || !running) {
                return;
            }
            if (buffer.offer(new Delivered(commit, checkpoint))) {
                lastOffered = checkpoint;
                return;
            }
            alone = true;
            detached(this);
            LOG.log(Level.INFO, "a durable subscriber fell " + bufferSize + " commits behind the shared "
                    + "subscription; it follows the store on its own from its last commit");
            followAlone(lastOffered != null ? Optional.of(lastOffered) : after);
        }

        /**
         * Follows the store on a subscription of its own, into the same buffer (waiting for room: only it waits),
         * passed over what the subscriber has by other means as the shared one would be: without that, a subscriber
         * that fell behind once, in a burst, got every later commit from this channel as well as from the fast one.
         */
        synchronized void followAlone(Optional<Checkpoint> from) {
            alone = true;
            if (!running) {
                return;
            }
            own = source.subscribe(from, new Listener() {
                @Override
                public void onCommit(RecordedCommit commit, Checkpoint checkpoint) throws InterruptedException {
                    while (running && !buffer.offer(new Delivered(commit, checkpoint), 100, TimeUnit.MILLISECONDS)) {
                        // the subscriber is busy: wait for room, holding up nobody else
                    }
                }

                @Override
                public long hasThrough() {
                    return listener.hasThrough();
                }
            });
        }

        private void deliver() {
            try {
                while (running) {
                    Delivered next = buffer.poll(100, TimeUnit.MILLISECONDS);
                    if (next != null && !redelivery.deliver(listener, next.commit(), next.checkpoint())) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            running = false;
            Subscription mine;
            synchronized (this) {
                mine = own;
                own = null;
            }
            if (mine != null) {
                mine.close();
            }
            if (thread != null && thread != Thread.currentThread()) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private record Delivered(RecordedCommit commit, Checkpoint checkpoint) {
    }
}
