package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One event as stored: a type name, the version of that type's shape, and JSON text for its data and metadata. The
 * store treats data and metadata as opaque JSON and keeps the version beside them; an {@link EventCodec} turns them
 * into domain events, upcasting an event stored under an older version of its type first.
 *
 * @param type     1-200 characters of {@code [A-Za-z0-9._:-]}
 * @param data     the event's JSON value
 * @param metadata a JSON object, {@code {}} when there is none
 * @param version  the version of {@code type}'s shape the data has, {@code >= 1}; {@value #FIRST_VERSION} for every
 *                 event stored before Cairn kept versions, and for every type that never changed
 */
public record EventData(String type, String data, String metadata, int version) {

    private static final Pattern VALID_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    public static final String EMPTY_OBJECT = "{}";
    /** The version of an event type until its shape first changes. */
    public static final int FIRST_VERSION = 1;

    /**
     * @throws NullPointerException  when {@code type}, {@code data} or {@code metadata} is null
     * @throws InvalidInputException when {@code type} is not such a name ({@code field} {@code type}) or
     *                               {@code version} is below 1 ({@code field} {@code version})
     */
    public EventData {
        requireNonNull(type, "type must not be null");
        requireNonNull(data, "data must not be null");
        requireNonNull(metadata, "metadata must not be null");
        InvalidInputException.check(VALID_TYPE.matcher(type).matches(), "type",
                "event type must be 1-200 characters of [A-Za-z0-9._:-]");
        InvalidInputException.check(version >= FIRST_VERSION, "version",
                "event version must be >= " + FIRST_VERSION + ", was " + version);
    }

    /** An event of version {@value #FIRST_VERSION}. */
    public EventData(String type, String data, String metadata) {
        this(type, data, metadata, FIRST_VERSION);
    }

    /** An event of version {@value #FIRST_VERSION} without metadata. */
    public EventData(String type, String data) {
        this(type, data, EMPTY_OBJECT);
    }

    /** This event with {@code version} instead of its own; the same instance when it already has it. */
    public EventData withVersion(int version) {
        return version == this.version ? this : new EventData(type, data, metadata, version);
    }

    /** Approximate stored size in bytes (UTF-8), used to refuse oversized commits before any write. */
    public long approximateSize() {
        return utf8Length(type) + utf8Length(data) + utf8Length(metadata);
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
