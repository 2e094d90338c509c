package io.cairn.postgres;

import java.util.Map;
import java.util.TreeMap;

/** Writes the one JSON shape this module builds itself: a commit's metadata, an object of strings. */
final class JsonText {

    private JsonText() {
    }

    /** {@code metadata} as a JSON object, keys sorted. */
    static String objectOf(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return "{}";
        }
        StringBuilder json = new StringBuilder(16 + metadata.size() * 32).append('{');
        for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, entry.getKey());
            json.append(':');
            appendString(json, entry.getValue());
        }
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
