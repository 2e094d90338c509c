package io.cairn.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EventCodec} for an aggregate whose events are one sealed interface of records: the stored type is the
 * record's simple name, the data its JSON. Unknown properties and missing required ones are errors, so a stored
 * event either decodes exactly or is refused.
 *
 * @param <E> the sealed event interface
 */
public final class JacksonEventCodec<E> implements EventCodec<E> {

    private final ObjectMapper mapper;
    private final Map<String, Class<? extends E>> byType;
    private final Map<Class<?>, String> byClass;

    private JacksonEventCodec(ObjectMapper mapper, Map<String, Class<? extends E>> byType) {
        this.mapper = mapper;
        this.byType = Collections.unmodifiableMap(byType);
        Map<Class<?>, String> reverse = new LinkedHashMap<>();
        byType.forEach((type, cls) -> reverse.put(cls, type));
        this.byClass = reverse;
    }

    /** A codec for every record that implements the sealed interface {@code events}, directly. */
    @SuppressWarnings("unchecked")
    public static <E> JacksonEventCodec<E> forSealed(Class<E> events) {
        requireNonNull(events, "events must not be null");
        if (!events.isSealed()) {
            throw new IllegalArgumentException(events + " is not a sealed interface");
        }
        Map<String, Class<? extends E>> byType = new LinkedHashMap<>();
        for (Class<?> permitted : events.getPermittedSubclasses()) {
            if (!permitted.isRecord()) {
                throw new IllegalArgumentException(permitted + " is not a record");
            }
            byType.put(permitted.getSimpleName(), (Class<? extends E>) permitted);
        }
        return new JacksonEventCodec<>(Json.strictMapper(), byType);
    }

    @Override
    public EventData encode(E event) {
        requireNonNull(event, "event must not be null");
        String type = byClass.get(event.getClass());
        if (type == null) {
            throw new IllegalArgumentException("not an event of this codec: " + event.getClass());
        }
        try {
            return new EventData(type, mapper.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event, e);
        }
    }

    @Override
    public E decode(EventData event) {
        requireNonNull(event, "event must not be null");
        Class<? extends E> cls = byType.get(event.type());
        if (cls == null) {
            throw new UnknownEventTypeException(event.type(), byType.keySet());
        }
        try {
            return mapper.readValue(event.data(), cls);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("data", "data of " + event.type() + " does not fit: " + e.getOriginalMessage());
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException("data", "data of " + event.type() + " does not fit: " + e.getMessage());
        }
    }

    @Override
    public Set<String> types() {
        return byType.keySet();
    }
}
