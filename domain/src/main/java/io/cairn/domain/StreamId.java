package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The id of a stream: the history of one aggregate, conventionally {@code category-id} (e.g. {@code account-42}).
 * 1 to 200 characters of {@code [A-Za-z0-9._:-]}; the alphabet is ASCII, so characters and bytes agree.
 * A {@code $} can never appear, which keeps {@code $}-prefixed names free for Cairn's own streams.
 */
public record StreamId(String value) implements Comparable<StreamId> {

    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    public StreamId {
        requireNonNull(value, "value must not be null");
        InvalidInputException.check(VALID.matcher(value).matches(), "stream",
                "stream id must be 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-], was '" + abbreviate(value) + "'");
    }

    public static StreamId of(String value) {
        return new StreamId(value);
    }

    /** The stream of one aggregate instance: {@code category + "-" + id}. */
    public static StreamId of(String category, String id) {
        requireNonNull(category, "category must not be null");
        requireNonNull(id, "id must not be null");
        InvalidInputException.check(!id.isEmpty(), "id", "id must not be empty");
        return new StreamId(category + "-" + id);
    }

    /** The part before the first {@code -}, or the whole id when there is none. */
    public String category() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(0, dash);
    }

    /** The part after the first {@code -}, or the whole id when there is none. */
    public String idWithinCategory() {
        int dash = value.indexOf('-');
        return dash < 0 ? value : value.substring(dash + 1);
    }

    @Override
    public int compareTo(StreamId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
