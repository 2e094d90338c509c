package io.cairn.application.projection;

import io.cairn.application.port.Checkpoint;
import io.cairn.domain.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a document projection's skip list is kept: as one record in its checkpoint store, under the reserved name
 * {@code $skipped/<projection>} (no projection can be named so: names are a domain's, and {@code $} is refused), so
 * that every backend keeps it without a table of its own. The record's text is a version line, then one line per
 * skipped commit: stream, revision, position ({@code -} when none), when it stopped, when it was skipped and the
 * error, tab-separated, the error with backslash escapes. Stateless.
 */
final class SkipList {

    private static final String VERSION = "cairn-skipped-v1";
    /** A long error is cut: the record stays small (a DynamoDB item takes 400 KB). */
    static final int MAX_ERROR_CHARS = 2_000;

    private SkipList() {
    }

    /** The name of {@code projection}'s skip list in its checkpoint store. */
    static String key(String projection) {
        return "$skipped/" + projection;
    }

    static Checkpoint encode(List<SkippedCommit> skipped) {
        StringBuilder text = new StringBuilder(VERSION);
        for (SkippedCommit commit : skipped) {
            text.append('\n').append(commit.stream().value())
                    .append('\t').append(commit.revision())
                    .append('\t').append(commit.position().isPresent() ? Long.toString(commit.position().getAsLong()) : "-")
                    .append('\t').append(commit.at())
                    .append('\t').append(commit.skippedAt())
                    .append('\t').append(escape(cut(commit.error())));
        }
        return new Checkpoint(text.toString());
    }

    /**
     * @throws IllegalStateException when the record is not a skip list this version wrote
     */
    static List<SkippedCommit> decode(Optional<Checkpoint> stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        String[] lines = stored.get().value().split("\n", -1);
        if (!lines[0].equals(VERSION)) {
            throw new IllegalStateException("the skip list starts with '" + lines[0] + "', not " + VERSION);
        }
        List<SkippedCommit> skipped = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", 6);
            if (fields.length != 6) {
                throw new IllegalStateException("line " + (i + 1) + " of the skip list has " + fields.length
                        + " fields, not 6");
            }
            skipped.add(new SkippedCommit(new StreamId(fields[0]), Long.parseLong(fields[1]),
                    fields[2].equals("-") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[2])),
                    unescape(fields[5]), Instant.parse(fields[3]), Instant.parse(fields[4])));
        }
        return List.copyOf(skipped);
    }

    private static String cut(String error) {
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
