package io.cairn.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.cairn.domain.InvalidInputException;
import io.cairn.json.Json;
import io.cairn.json.JsonFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The Jackson behind the API's JSON defaults, configured once (strictly) and never shown in a signature. */
final class JsonReading {

    private static final ObjectMapper MAPPER = Json.strictMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() { };

    private JsonReading() {
    }

    static <B, C> CommandReader<C> reader(Class<B> body, Function<? super B, ? extends C> toCommand) {
        requireNonNull(body, "body must not be null");
        if (!body.isRecord()) {
            throw new IllegalArgumentException(body.getName() + " must be a record");
        }
        // absent reference fields arrive as null, for the record to default or refuse by name
        ObjectReader reader = MAPPER.readerFor(body).without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        @SuppressWarnings("unchecked")
        Class<? extends Record> recordType = (Class<? extends Record>) body;
        return new CommandReader<>() {
            @Override
            public C read(String json) {
                requireNonNull(json, "json must not be null");
                B parsed;
                try {
                    parsed = reader.readValue(json.isEmpty() ? "{}" : json);
                } catch (JsonProcessingException e) {
                    throw JsonFailures.translate(e);
                }
                if (parsed == null) {
                    throw new InvalidInputException(JsonFailures.BODY, "the body must be a JSON object, not null");
                }
                C command = toCommand.apply(parsed);
                if (command == null) {
                    throw new IllegalStateException("the command reader for " + body.getName() + " returned null");
                }
                return command;
            }

            @Override
            public Optional<Class<? extends Record>> bodyType() {
                return Optional.of(recordType);
            }
        };
    }

    static <S> StateView<S> fields(String idField) {
        requireNonNull(idField, "idField must not be null");
        if (idField.isEmpty() || idField.equals("revision")) {
            throw new IllegalArgumentException("idField must be a field name other than revision, was '"
                    + idField + "'");
        }
        return (id, state) -> {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put(idField, id);
            shown.putAll(MAPPER.convertValue(state, FIELDS));
            return shown;
        };
    }
}
