package io.cairn.domain;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * One event as stored: a type name and JSON text for its data and metadata. The store treats both as opaque
 * JSON; an {@link EventCodec} turns them into domain events.
 *
 * @param type     1-200 characters of {@code [A-Za-z0-9._:-]}
 * @param data     the event's JSON value
 * @param metadata a JSON object, {@code {}} when there is none
 */
public record EventData(String type, String data, String metadata) {

    private static final Pattern VALID_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    public static final String EMPTY_OBJECT = "{}";

    public EventData {
        requireNonNull(type, "type must not be null");
        requireNonNull(data, "data must not be null");
        requireNonNull(metadata, "metadata must not be null");
        InvalidInputException.check(VALID_TYPE.matcher(type).matches(), "type",
                "event type must be 1-200 characters of [A-Za-z0-9._:-]");
    }

    public EventData(String type, String data) {
        this(type, data, EMPTY_OBJECT);
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
