package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a {@link DynamoDbStreamsChannel} subscription is, as a compact, versioned {@link Checkpoint} value. Two
 * phases:
 * <ul>
 * <li>{@code dds1 S <label> <startedMillis> <stream> <revision>}: rebuilding from a table scan that started at
 * {@code startedMillis}, the item with that key delivered last;</li>
 * <li>{@code dds1 F <label> <issuedMillis> <shard>=<sequence number>|<shard>=D,...} (or {@code -} for no shard):
 * following the stream labelled {@code label}, each shard read up to a sequence number or done ({@code D}); a
 * shard not named has not been read.</li>
 * </ul>
 * Fields are separated by single spaces; stream labels, shard ids and sequence numbers never contain one.
 */
sealed interface StreamsCheckpoint {

    String VERSION = "dds1";
    /** A shard read to its end. */
    String DONE = "D";

    /** When the position was recorded; an old one may point into records the stream no longer retains. */
    Instant at();

    String label();

    Checkpoint toCheckpoint();

    /** Rebuilding from a scan: the last item delivered. */
    record Scanning(String label, Instant at, StreamId stream, long revision) implements StreamsCheckpoint {
        @Override
        public Checkpoint toCheckpoint() {
            return new Checkpoint(String.join(" ", VERSION, "S", label, Long.toString(at.toEpochMilli()),
                    stream.value(), Long.toString(revision)));
        }
    }

    /** Following the stream: per shard, the last sequence number delivered or {@link #DONE}. */
    record Following(String label, Instant at, Map<String, String> shards) implements StreamsCheckpoint {
        public Following {
            shards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shards));
        }

        @Override
        public Checkpoint toCheckpoint() {
            String positions = shards.isEmpty() ? "-" : shards.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            return new Checkpoint(String.join(" ", VERSION, "F", label, Long.toString(at.toEpochMilli()), positions));
        }
    }

    Pattern TOKEN = Pattern.compile("[^\\s=,]+");

    /** @throws IllegalArgumentException when {@code checkpoint} is not one this channel issued */
    static StreamsCheckpoint parse(Checkpoint checkpoint) {
        requireNonNull(checkpoint, "checkpoint must not be null");
        String[] fields = checkpoint.value().split(" ", -1);
        try {
            if (fields.length < 4 || !fields[0].equals(VERSION)) {
                throw new IllegalArgumentException("it does not start with " + VERSION);
            }
            String label = token(fields[2]);
            Instant at = Instant.ofEpochMilli(Long.parseLong(fields[3]));
            if (fields[1].equals("S") && fields.length == 6) {
                return new Scanning(label, at, StreamId.of(fields[4]), Long.parseLong(fields[5]));
            }
            if (fields[1].equals("F") && fields.length == 5) {
                Map<String, String> shards = new LinkedHashMap<>();
                if (!fields[4].equals("-")) {
                    for (String entry : fields[4].split(",", -1)) {
                        String[] pair = entry.split("=", -1);
                        if (pair.length != 2 || shards.put(token(pair[0]), token(pair[1])) != null) {
                            throw new IllegalArgumentException("bad shard position '" + entry + "'");
                        }
                    }
                }
                return new Following(label, at, shards);
            }
            throw new IllegalArgumentException("unknown phase or field count");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a checkpoint of the DynamoDB Streams channel: '"
                    + abbreviate(checkpoint.value()) + "' (" + e.getMessage() + ")", e);
        }
    }

    private static String token(String s) {
        if (!TOKEN.matcher(s).matches()) {
            throw new IllegalArgumentException("bad field '" + s + "'");
        }
        return s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
