package io.cairn.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON Schema of a record as Cairn's strict mapper reads it: one property per component (its
 * {@code @JsonProperty} name, if any), primitives required (a missing one is refused), references optional (they
 * arrive as null for the record to default or refuse), no other property (unknown fields are refused). Types
 * beyond the JSON scalars, collections, maps, enums and nested records are left open ({@code {}}).
 */
final class RecordSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordSchemas() {
    }

    static ObjectNode of(Class<? extends Record> type) {
        return of(type, new HashSet<>());
    }

    private static ObjectNode of(Class<?> type, Set<Class<?>> seen) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        if (!seen.add(type)) {
            return schema; // a record that holds itself: left open below the first level
        }
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (RecordComponent component : type.getRecordComponents()) {
            JsonProperty renamed = component.getAnnotation(JsonProperty.class);
            String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
            properties.set(name, schemaOf(component.getType(), component.getGenericType(), seen));
            if (component.getType().isPrimitive()) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        seen.remove(type);
        return schema;
    }

    private static ObjectNode schemaOf(Class<?> raw, Type generic, Set<Class<?>> seen) {
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (raw == UUID.class) {
            return NODES.objectNode().put("type", "string").put("format", "uuid");
        }
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class || raw == Integer.class
                || raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
            return NODES.objectNode().put("type", "integer");
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (raw.isEnum()) {
            ObjectNode schema = NODES.objectNode().put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return schema;
        }
        if (raw.isRecord()) {
            return of(raw, seen);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            ObjectNode schema = NODES.objectNode().put("type", "array");
            Class<?> element = raw.isArray() ? raw.getComponentType() : typeArgument(generic, 0);
            schema.set("items", element == null ? NODES.objectNode() : schemaOf(element, element, seen));
            return schema;
        }
        if (Map.class.isAssignableFrom(raw)) {
            ObjectNode schema = NODES.objectNode().put("type", "object");
            Class<?> value = typeArgument(generic, 1);
            schema.set("additionalProperties", value == null ? NODES.objectNode() : schemaOf(value, value, seen));
            return schema;
        }
        return NODES.objectNode();
    }

    private static Class<?> typeArgument(Type generic, int index) {
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments().length > index
                && parameterized.getActualTypeArguments()[index] instanceof Class<?> argument) {
            return argument;
        }
        return null;
    }
}
