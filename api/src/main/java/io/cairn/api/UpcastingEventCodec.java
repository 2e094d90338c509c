package io.cairn.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cairn.domain.EventCodec;
import io.cairn.domain.EventData;
import io.cairn.domain.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An aggregate's event codec with its event types' versions and upcaster chains: the one place where a stored
 * event of an older version becomes the current version, before the aggregate's own codec decodes it. Encoding
 * writes every event with its type's current version. Immutable and thread-safe.
 */
final class UpcastingEventCodec<E> implements EventCodec<E> {

    /** One step of a chain: {@code (type, from)} to {@code (to, from + 1)}. */
    record Step(String type, int from, String to, Upcaster upcaster) {
        Step {
            requireNonNull(type, "type must not be null");
            requireNonNull(to, "toType must not be null");
            requireNonNull(upcaster, "upcaster must not be null");
        }

        String describe() {
            return "the upcaster of " + type + " from version " + from
                    + (to.equals(type) ? "" : " (renamed " + to + " at version " + (from + 1) + ")");
        }
    }

    /** Numbers exactly as stored: a fraction is a BigDecimal, never a double that rounds it. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private final EventCodec<E> codec;
    private final Map<String, Integer> versions;
    private final Map<String, Step> steps;

    private UpcastingEventCodec(EventCodec<E> codec, Map<String, Integer> versions, Map<String, Step> steps) {
        this.codec = codec;
        this.versions = versions;
        this.steps = steps;
    }

    /**
     * {@code codec} with the given current versions (types not named are at version 1) and upcaster steps.
     *
     * @throws IllegalStateException naming the aggregate ({@code what}) when a version names a type the codec does
     *                               not know, or the chains do not lead every stored version to a current one:
     *                               an upcaster for a version at or above its type's current one, an upcaster of a
     *                               type neither the codec nor any chain knows, a version without an upcaster
     *                               between a type's first and current version
     */
    static <E> UpcastingEventCodec<E> of(String what, EventCodec<E> codec, Map<String, Integer> versions,
                                         List<Step> steps) {
        Set<String> types = codec.types();
        for (String type : versions.keySet()) {
            if (!types.contains(type)) {
                throw new IllegalStateException(what + " gives a version to event type " + type
                        + ", which its event codec does not know; known types: " + types);
            }
        }
        Map<String, Step> byKey = new LinkedHashMap<>();
        for (Step step : steps) {
            byKey.put(key(step.type(), step.from()), step);
        }
        UpcastingEventCodec<E> upcasting = new UpcastingEventCodec<>(codec, Map.copyOf(versions),
                Collections.unmodifiableMap(byKey));
        upcasting.validate(what);
        return upcasting;
    }

    private void validate(String what) {
        Set<String> types = codec.types();
        Map<String, Integer> firstVersions = new LinkedHashMap<>();
        for (Step step : steps.values()) {
            if (!step.to().equals(step.type())) {
                firstVersions.merge(step.to(), step.from() + 1, Math::min);
            }
        }
        for (String type : types) {
            int first = firstVersions.getOrDefault(type, EventData.FIRST_VERSION);
            for (int version = first; version < current(type); version++) {
                if (!steps.containsKey(key(type, version))) {
                    throw new IllegalStateException(what + ": event type " + type + " is at version "
                            + current(type) + " but has no upcaster from version " + version
                            + ", so its stored events of version " + version + " could not be read: register "
                            + "upcast(\"" + type + "\", " + version + ", ...)");
                }
            }
        }
        for (Step step : steps.values()) {
            if (types.contains(step.type()) && step.from() >= current(step.type())) {
                throw new IllegalStateException(what + ": " + step.describe() + " reads a version that is not older "
                        + "than " + step.type() + "'s current version " + current(step.type())
                        + "; an upcaster reads version n < current and writes n + 1 (bump the type with eventVersion)");
            }
            String type = step.type();
            int version = step.from();
            while (!(types.contains(type) && version == current(type))) {
                if (types.contains(type) && version > current(type)) {
                    throw new IllegalStateException(what + ": " + step.describe() + " leads to " + type + " version "
                            + version + ", newer than its current version " + current(type));
                }
                Step next = steps.get(key(type, version));
                if (next == null) {
                    if (!types.contains(type) && type.equals(step.type()) && neverRenames(type, step)) {
                        throw new IllegalStateException(what + " registers an upcaster for event type " + type
                                + ", which its event codec does not know (nor renames into one it knows); "
                                + "known types: " + types);
                    }
                    throw new IllegalStateException(what + ": " + step.describe() + " leads to " + type + " version "
                            + version + ", from which no upcaster leads on"
                            + (types.contains(type) ? " to its current version " + current(type)
                                    : "; " + type + " is not an event type of its codec " + types));
                }
                type = next.to();
                version++;
            }
        }
    }

    /** Whether the chain of {@code start} never leaves {@code type}: an upcaster of a name nothing knows. */
    private boolean neverRenames(String type, Step start) {
        for (Step step = start; step != null; step = steps.get(key(step.to(), step.from() + 1))) {
            if (!step.to().equals(type)) {
                return false;
            }
        }
        return true;
    }

    /** The current version of {@code type}: as registered, else 1. */
    int current(String type) {
        return versions.getOrDefault(type, EventData.FIRST_VERSION);
    }

    @Override
    public EventData encode(E event) {
        EventData encoded = codec.encode(event);
        return encoded.withVersion(current(encoded.type()));
    }

    @Override
    public E decode(EventData event) {
        return codec.decode(upcast(requireNonNull(event, "event must not be null")));
    }

    @Override
    public EventData upcast(EventData stored) {
        requireNonNull(stored, "stored must not be null");
        String type = stored.type();
        int version = stored.version();
        boolean known = codec.types().contains(type);
        if (known && version == current(type)) {
            return stored;
        }
        if (known && version > current(type)) {
            throw new InvalidInputException("version", type + " version " + version + " is newer than the current "
                    + "version " + current(type) + " this domain registers: was it written by a newer release?");
        }
        if (!known && !steps.containsKey(key(type, version))) {
            Set<Integer> readable = new TreeSet<>();
            for (Step step : steps.values()) {
                if (step.type().equals(type)) {
                    readable.add(step.from());
                }
            }
            if (readable.isEmpty()) {
                return codec.upcast(stored); // not a name any chain knows: the codec says what it makes of it
            }
            throw new InvalidInputException("version", "no upcaster leads from " + type + " version " + version
                    + ": " + type + " is an older name, whose upcasters read versions " + readable);
        }
        Map<String, Object> data = parse(stored);
        List<String> path = new ArrayList<>();
        while (!(codec.types().contains(type) && version == current(type))) {
            Step step = steps.get(key(type, version));
            if (step == null) {
                throw new InvalidInputException("version", "no upcaster leads from " + type + " version " + version
                        + (codec.types().contains(type) ? " to its current version " + current(type)
                                : " to an event type this domain knows " + new TreeSet<>(codec.types()))
                        + (path.isEmpty() ? "" : " (upcast so far: " + String.join(", ", path) + ")"));
            }
            try {
                data = requireNonNull(step.upcaster().upcast(data), "it returned null");
            } catch (RuntimeException e) {
                throw new InvalidInputException("version", step.describe() + " failed: " + e.getMessage());
            }
            path.add(type + " v" + version + " -> " + step.to() + " v" + (version + 1));
            type = step.to();
            version++;
        }
        try {
            return new EventData(type, MAPPER.writeValueAsString(data), stored.metadata(), version);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidInputException("version", "the data upcast to " + type + " version " + version
                    + " is not JSON: " + e.getMessage());
        }
    }

    private static Map<String, Object> parse(EventData stored) {
        try {
            Map<String, Object> data = MAPPER.readValue(stored.data(), OBJECT);
            if (data == null) {
                throw new InvalidInputException("data", "the data of " + stored.type() + " is null, not a JSON "
                        + "object an upcaster can read");
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("data", "the data of " + stored.type() + " is not a JSON object an "
                    + "upcaster can read: " + e.getOriginalMessage());
        }
    }

    @Override
    public Set<String> types() {
        return codec.types();
    }

    private static String key(String type, int version) {
        return version + ":" + type;
    }
}
