package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.RecordedCommit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The logic of one {@link DynamoDbStreamsChannel} subscription: where to start (a checkpoint, the stream's oldest
 * records, or a rebuild from the table), the parent-before-child order of shards, the checkpoint of each delivery.
 * Runs on the subscription's thread until the subscription stops; throws when the source fails, and is then made
 * anew from the last position delivered.
 */
final class ShardFollower {

    /** Delivers the table's commits after a scan position (all when empty); false when stopped first. */
    @FunctionalInterface
    interface Rebuild {
        boolean run(String label, Instant startedAt, Optional<StreamsCheckpoint.Scanning> after);
    }

    private final ShardSource source;
    private final Clock clock;
    private final Duration retentionMargin;
    private final DynamoDbStreamsChannel.Delivery delivery;
    private final BooleanSupplier running;
    /** Per shard read: the last sequence number read, or {@link StreamsCheckpoint#DONE}. */
    private final Map<String, String> progress = new LinkedHashMap<>();
    private Map<String, ShardSource.Shard> shards = Map.of();
    private String label;

    ShardFollower(ShardSource source, Clock clock, Duration retentionMargin,
                  DynamoDbStreamsChannel.Delivery delivery, BooleanSupplier running) {
        this.source = requireNonNull(source, "source must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        this.retentionMargin = requireNonNull(retentionMargin, "retentionMargin must not be null");
        this.delivery = requireNonNull(delivery, "delivery must not be null");
        this.running = requireNonNull(running, "running must not be null");
    }

    /**
     * Follows the stream from {@code start} until stopped, polling with {@code idle} after a round without records.
     */
    void follow(Optional<StreamsCheckpoint> start, Rebuild rebuild, Runnable idle) {
        ShardSource.StreamState state = source.describe();
        label = state.label();
        if (!resume(start, state) && !rebuildThenFollow(start, rebuild)) {
            return;
        }
        adopt(state);
        int round = 0;
        while (running.getAsBoolean()) {
            boolean shardEnded = false;
            boolean anyRecords = false;
            try {
                for (String shard : readyShards()) {
                    ShardSource.Batch batch = source.read(shard, position(shard));
                    for (ShardSource.Change change : batch.records()) {
                        if (!deliver(shard, change)) {
                            return;
                        }
                    }
                    anyRecords |= !batch.records().isEmpty();
                    if (batch.shardEnded()) {
                        progress.put(shard, StreamsCheckpoint.DONE);
                        shardEnded = true;
                    }
                }
            } catch (ShardSource.StreamTrimmedException e) {
                if (!rebuildThenFollow(Optional.empty(), rebuild)) {
                    return;
                }
                shardEnded = true;
            }
            if (shardEnded || ++round % DynamoDbStreamsChannel.DESCRIBE_EVERY_ROUNDS == 0) {
                ShardSource.StreamState now = source.describe();
                if (!now.label().equals(label) || positionedShardMissing(now)) {
                    label = now.label();
                    if (!rebuildThenFollow(Optional.empty(), rebuild)) {
                        return;
                    }
                }
                adopt(now);
            }
            if (!anyRecords && !shardEnded) {
                idle.run();
            }
        }
    }

    /** Takes up {@code start} when it still points into the stream; false when a rebuild is needed. */
    private boolean resume(Optional<StreamsCheckpoint> start, ShardSource.StreamState state) {
        if (start.isEmpty()) {
            return state.holdsWholeTable();
        }
        StreamsCheckpoint checkpoint = start.get();
        if (!(checkpoint instanceof StreamsCheckpoint.Following following) || !fresh(checkpoint)
                || !checkpoint.label().equals(state.label())) {
            return false;
        }
        progress.putAll(following.shards());
        return !positionedShardMissing(state);
    }

    /**
     * Delivers every commit of the table (continuing a scan checkpoint that is still fresh), then starts following
     * the stream from its oldest records; false when stopped first.
     */
    private boolean rebuildThenFollow(Optional<StreamsCheckpoint> start, Rebuild rebuild) {
        progress.clear();
        Optional<StreamsCheckpoint.Scanning> after = start
                .filter(StreamsCheckpoint.Scanning.class::isInstance).map(StreamsCheckpoint.Scanning.class::cast)
                .filter(s -> fresh(s) && s.label().equals(label));
        Instant startedAt = after.map(StreamsCheckpoint::at).orElseGet(clock::instant);
        return rebuild.run(label, startedAt, after);
    }

    private boolean deliver(String shard, ShardSource.Change change) {
        progress.put(shard, change.sequenceNumber());
        Optional<Map<String, AttributeValue>> item = change.insertedItem().filter(CommitItems::isCommit);
        if (item.isEmpty()) {
            return true;
        }
        RecordedCommit commit = CommitItems.toCommit(item.get());
        return delivery.deliver(commit, new StreamsCheckpoint.Following(label, clock.instant(), progress));
    }

    /** Shards not done whose parent is done, unknown, or gone: a parent is always read to its end first. */
    List<String> readyShards() {
        List<String> ready = new ArrayList<>();
        for (ShardSource.Shard shard : shards.values()) {
            if (StreamsCheckpoint.DONE.equals(progress.get(shard.id()))) {
                continue;
            }
            boolean parentPending = shard.parentId()
                    .filter(parent -> shards.containsKey(parent) && !StreamsCheckpoint.DONE.equals(progress.get(parent)))
                    .isPresent();
            if (!parentPending) {
                ready.add(shard.id());
            }
        }
        return ready;
    }

    /** Takes the listed shards as the ones to read; forgets finished shards the stream no longer lists. */
    private void adopt(ShardSource.StreamState state) {
        Map<String, ShardSource.Shard> listed = new LinkedHashMap<>();
        state.shards().stream().sorted(Comparator.comparing(ShardSource.Shard::id))
                .forEach(s -> listed.put(s.id(), s));
        shards = listed;
        Set<String> gone = progress.keySet().stream().filter(id -> !listed.containsKey(id)).collect(Collectors.toSet());
        progress.keySet().removeAll(gone);
    }

    /** A shard read part-way is no longer listed: its remaining records are gone. */
    private boolean positionedShardMissing(ShardSource.StreamState state) {
        Set<String> listed = state.shards().stream().map(ShardSource.Shard::id).collect(Collectors.toSet());
        return progress.entrySet().stream()
                .anyMatch(e -> !StreamsCheckpoint.DONE.equals(e.getValue()) && !listed.contains(e.getKey()));
    }

    private Optional<String> position(String shard) {
        return Optional.ofNullable(progress.get(shard));
    }

    private boolean fresh(StreamsCheckpoint checkpoint) {
        return Duration.between(checkpoint.at(), clock.instant())
                .compareTo(DynamoDbShardSource.RETENTION.minus(retentionMargin)) < 0;
    }
}
