package io.cairn.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.cairn.domain.InvalidInputException;
import io.cairn.domain.MalformedJsonException;
import java.util.Collection;
import java.util.Map;

/**
 * What Jackson's failures to read a client's JSON mean, in the client's words: the field at fault (as a path,
 * e.g. {@code events[0].type}) and a sentence, never Jackson's class names. The one place Cairn translates them,
 * for its own request bodies and for domains' commands alike.
 */
public final class JsonFailures {

    /** The field named when a failure concerns the whole body. */
    public static final String BODY = "body";

    private JsonFailures() {
    }

    /**
     * @return a {@link MalformedJsonException} when the text is not JSON (syntax, duplicate keys, trailing
     *         values), otherwise an {@link InvalidInputException} naming the field that does not fit
     */
    public static InvalidInputException translate(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new InvalidInputException(pathOr(unknown), "unknown field '" + unknown.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            if (field == null) {
                return e.getMessage() != null && e.getMessage().startsWith("Trailing token")
                        ? new MalformedJsonException(BODY, "the body holds more than one JSON value: "
                                + e.getOriginalMessage())
                        : new InvalidInputException(BODY, "the body must be a JSON object");
            }
            if (mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("Missing")) {
                return new InvalidInputException(field, field + " is required");
            }
            String absent = mismatch.getOriginalMessage() != null
                    && mismatch.getOriginalMessage().startsWith("Cannot map `null`") ? ", and is missing or null" : "";
            return new InvalidInputException(field, field + " must be " + describe(mismatch.getTargetType()) + absent);
        }
        if (e instanceof InputCoercionException coercion) {
            String field = field(coercion.getProcessor());
            return new InvalidInputException(field == null ? BODY : field,
                    (field == null ? "a number" : field) + " is out of range");
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException) {
            String field = path(mapping);
            return new InvalidInputException(field == null ? BODY : field,
                    (field == null ? "a number" : field) + " is out of range");
        }
        if (e instanceof JsonMappingException mapping) {
            if (mapping.getCause() instanceof InvalidInputException invalid) {
                return invalid; // a record's constructor refused a value: its own words
            }
            return new InvalidInputException(pathOr(mapping), "the body does not fit: " + mapping.getOriginalMessage());
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String field = e instanceof StreamReadException read ? field(read.getProcessor()) : null;
        return new MalformedJsonException(field == null ? BODY : field,
                "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "of another type";
    }

    private static String pathOr(JsonMappingException e) {
        String path = path(e);
        return path == null ? BODY : path;
    }

    /** The JSON path of a mapping failure, e.g. {@code events[0].type}; null at the root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? null : path.toString();
    }

    /** The path where a parser stopped, from its JSON pointer (e.g. {@code /events/0/type}). */
    private static String field(Object processor) {
        if (!(processor instanceof JsonParser parser) || parser.getParsingContext() == null) {
            return null;
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        if (pointer.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.substring(1).split("/", -1)) {
            if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return path.toString();
    }
}
