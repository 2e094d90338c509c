package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The names of Cairn's four tables: a prefix (e.g. {@code cairn-} or {@code prod-cairn-}) and a fixed name each.
 *
 * @param prefix prepended to every name; validated by {@link DynamoDbSettings}
 */
public record TableNames(String prefix) {

    public TableNames {
        requireNonNull(prefix, "prefix must not be null");
    }

    /** Commits and snapshots: partition key {@code s} (stream), sort key {@code r} (revision; 0 = snapshot). */
    public String events() {
        return prefix + "events";
    }

    /** Views of every view name: partition key {@code id} ({@code <view>/<stream>}). */
    public String views() {
        return prefix + "views";
    }

    /** Projection checkpoints: partition key {@code p} (projection name). */
    public String checkpoints() {
        return prefix + "checkpoints";
    }

    /**
     * The documents of every document projection: partition key {@code p} (projection name), sort key {@code k}
     * (document key).
     */
    public String documents() {
        return prefix + "documents";
    }

    public List<String> all() {
        return List.of(events(), views(), checkpoints(), documents());
    }
}
