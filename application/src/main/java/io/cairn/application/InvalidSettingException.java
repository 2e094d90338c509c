package io.cairn.application;

import static java.util.Objects.requireNonNull;

/**
 * An adapter's settings record refused a value: it names the field, so that whoever read the value (a
 * configuration file, the environment) can name its own key for it instead of parsing the message.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field   the settings record's component, as spelled in Java (e.g. {@code tablePrefix}); not null
     * @param problem what is wrong, continuing the field's name (e.g. {@code "must be positive, was PT0S"}); not
     *                null. The message is {@code field + " " + problem}.
     */
    public InvalidSettingException(String field, String problem) {
        super(requireNonNull(field, "field must not be null") + " " + requireNonNull(problem, "problem must not be null"));
        this.field = field;
    }

    /** The settings record's component that holds the refused value. */
    public String field() {
        return field;
    }
}
