package io.cairn.dynamodb;

import static io.cairn.contracts.TestCommits.anyCommit;

import io.cairn.domain.Commit;
import io.cairn.domain.RecordedCommit;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change stream whose shards a test writes: the shard graphs and record orders DynamoDB Local never produces
 * (splits, siblings, trimmed shards). Thread-safe: the test writes while a subscription reads.
 */
final class ScriptedShards implements ShardSource {

    private final Map<String, ScriptedShard> shards = new LinkedHashMap<>();
    private long nextSequence = 1000;
    private boolean holdsWholeTable = true;

    synchronized ScriptedShards shard(String id, Optional<String> parent) {
        shards.put(id, new ScriptedShard(parent));
        return this;
    }

    /** Appends to {@code shard} the insert of a commit item of {@code stream} at {@code revision}. */
    synchronized RecordedCommit insert(String shard, StreamId stream, long revision) {
        Commit commit = anyCommit();
        RecordedCommit recorded = CommitItems.recorded(stream, revision, revision, commit,
                Instant.ofEpochMilli(System.currentTimeMillis()));
        shards.get(shard).changes.add(new Change(Long.toString(nextSequence++),
                Optional.of(CommitItems.toItem(recorded, CommitBody.encode(commit)))));
        return recorded;
    }

    /** Appends a change that is not a commit insert (a snapshot written, say). */
    synchronized void modify(String shard) {
        shards.get(shard).changes.add(new Change(Long.toString(nextSequence++), Optional.empty()));
    }

    synchronized void close(String shard) {
        shards.get(shard).closed = true;
    }

    synchronized void remove(String shard) {
        shards.remove(shard);
    }

    synchronized void holdsWholeTable(boolean holds) {
        holdsWholeTable = holds;
    }

    @Override
    public synchronized StreamState describe() {
        List<Shard> listed = new ArrayList<>();
        shards.forEach((id, shard) -> listed.add(new Shard(id, shard.parent)));
        return new StreamState("scripted", holdsWholeTable, listed);
    }

    @Override
    public synchronized Batch read(String shardId, Optional<String> afterSequenceNumber) {
        ScriptedShard shard = shards.get(shardId);
        if (shard == null) {
            throw new StreamTrimmedException("shard " + shardId + " is gone", null);
        }
        int from = 0;
        if (afterSequenceNumber.isPresent()) {
            from = -1;
            for (int i = 0; i < shard.changes.size(); i++) {
                if (shard.changes.get(i).sequenceNumber().equals(afterSequenceNumber.get())) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw new StreamTrimmedException("shard " + shardId + " no longer holds " + afterSequenceNumber, null);
            }
        }
        // two at a time, so that a round reads part of a shard
        List<Change> batch = List.copyOf(shard.changes.subList(from, Math.min(from + 2, shard.changes.size())));
        return new Batch(batch, shard.closed && from + batch.size() == shard.changes.size());
    }

    private static final class ScriptedShard {
        final Optional<String> parent;
        final List<Change> changes = new ArrayList<>();
        boolean closed;

        ScriptedShard(Optional<String> parent) {
            this.parent = parent;
        }
    }
}
