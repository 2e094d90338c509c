package io.cairn.contracts;

import io.cairn.domain.Commit;
import io.cairn.domain.EventData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds commits for the suites: {@code TestCommits.aCommit().withEvent("Opened", "{\"owner\":\"ada\"}").build()}.
 * Without events a commit gets one small one; without an id, a random one.
 */
public final class TestCommits {

    private UUID commitId = UUID.randomUUID();
    private final List<EventData> events = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private TestCommits() {
    }

    public static TestCommits aCommit() {
        return new TestCommits();
    }

    /** A commit with one small event and a random id. */
    public static Commit anyCommit() {
        return aCommit().build();
    }

    /** A commit of one event whose data is a JSON string, the whole commit about {@code bytes} bytes long. */
    public static Commit ofApproximateSize(long bytes) {
        String padding = "x".repeat((int) Math.max(0, bytes - 64));
        return aCommit().withEvent("Padded", "\"" + padding + "\"").build();
    }

    public TestCommits withId(UUID id) {
        this.commitId = id;
        return this;
    }

    public TestCommits withEvent(String type, String data) {
        return withEvent(type, data, EventData.EMPTY_OBJECT);
    }

    public TestCommits withEvent(String type, String data, String eventMetadata) {
        events.add(new EventData(type, data, eventMetadata));
        return this;
    }

    /** An event of {@code version} of its type. */
    public TestCommits withEvent(String type, String data, String eventMetadata, int version) {
        events.add(new EventData(type, data, eventMetadata, version));
        return this;
    }

    /** {@code n} events {@code Counted} with data {@code {"n":1}}, {@code {"n":2}}, ... */
    public TestCommits withEvents(int n) {
        for (int i = 1; i <= n; i++) {
            withEvent("Counted", "{\"n\":" + i + "}");
        }
        return this;
    }

    public TestCommits withMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public Commit build() {
        List<EventData> list = events.isEmpty()
                ? List.of(new EventData("Happened", "{\"at\":\"" + commitId + "\"}"))
                : events;
        return new Commit(commitId, list, metadata);
    }
}
