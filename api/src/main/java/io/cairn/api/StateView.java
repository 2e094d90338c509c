package io.cairn.api;

import java.util.Map;

/**
 * How an aggregate's state is shown by {@code GET /{collection}/{id}}: the JSON object's fields, in order. Cairn
 * adds {@code "revision"} after them. Implementations are thread-safe and pure.
 *
 * @param <S> the aggregate's state type
 */
@FunctionalInterface
public interface StateView<S> {

    /**
     * @param id    the aggregate's id (the path's {@code {id}}), never null
     * @param state the state at some revision {@code >= 1}, never null
     * @return the fields to show, in order, never null; values are null, strings, numbers, booleans, lists and maps
     *         of these, or records and enums (written as Jackson writes them). A field named {@code revision} is
     *         refused: Cairn writes that one.
     */
    Map<String, Object> show(String id, S state);

    /**
     * The id under {@code idField}, then every component of the state record under its own name, in declaration
     * order (nested records as objects, enums by name).
     *
     * @param idField the name of the id's field, e.g. {@code "sku"}; not null or empty
     */
    static <S> StateView<S> fields(String idField) {
        return JsonReading.fields(idField);
    }
}
