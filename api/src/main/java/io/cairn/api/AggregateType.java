package io.cairn.api;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.Aggregate;
import io.cairn.domain.EventCodec;
import io.cairn.domain.StateCodec;
import io.cairn.domain.StreamId;
import io.cairn.json.JacksonEventCodec;
import io.cairn.json.JacksonStateCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One aggregate as a domain registers it: everything Cairn needs to serve it on any store and over HTTP. Built
 * with {@link #builder}; immutable and thread-safe once built.
 *
 * <pre>{@code
 * AggregateType<ProductCommand, ProductEvent, ProductState> products = AggregateType.builder(new Products())
 *         .collection("products")
 *         .command("register", CommandReader.json(ProductCommand.Register.class))
 *         .command("receive", CommandReader.json(ProductCommand.Receive.class))
 *         .events(ProductEvent.class)           // a sealed interface of records
 *         .eventVersion("StockReceived", 2)     // its shape changed once...
 *         .upcast("StockReceived", 1, data -> { // ...and this reads the events stored before
 *             data.putIfAbsent("warehouse", "main");
 *             return data;
 *         })
 *         .state(ProductState.class, 1)         // a record, schema version 1
 *         .view(StateView.fields("sku"))
 *         .rejection("not_registered", 404)
 *         .build();
 * }</pre>
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type
 */
public final class AggregateType<C, E, S> {

    /** Collections and command names: lower-case words joined by dashes, as they appear in URLs. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9._:]{1,64}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    /** The first path segments Cairn's own routes use. */
    public static final Set<String> RESERVED_COLLECTIONS =
            Set.of("streams", "all", "feed", "live-feed", "health", "metrics", "views", "projections", "openapi");
    /** The status of a rejection whose reason is not mapped. */
    public static final int DEFAULT_REJECTION_STATUS = 422;

    private final Aggregate<C, E, S> aggregate;
    private final String collection;
    private final String idField;
    private final Map<String, CommandReader<? extends C>> commands;
    private final UpcastingEventCodec<E> events;
    private final StateCodec<S> state;
    private final StateView<S> view;
    private final Map<String, Integer> rejectionStatuses;

    private AggregateType(Builder<C, E, S> b) {
        this.aggregate = b.aggregate;
        this.collection = b.collection;
        this.idField = b.idField;
        this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(b.commands));
        this.events = b.upcasting;
        this.state = b.state;
        this.view = b.view != null ? b.view : StateView.fields(b.idField);
        this.rejectionStatuses = Map.copyOf(b.rejectionStatuses);
    }

    /**
     * Starts the registration of {@code aggregate}, whose {@link Aggregate#category()} names its streams
     * ({@code category-id}): 1-64 characters of {@code [A-Za-z0-9._:]} (no dash, which ends the category).
     *
     * @throws IllegalArgumentException when the category is not such a name
     */
    public static <C, E, S> Builder<C, E, S> builder(Aggregate<C, E, S> aggregate) {
        return new Builder<>(aggregate);
    }

    /** The aggregate: decide and evolve. */
    public Aggregate<C, E, S> aggregate() {
        return aggregate;
    }

    /** The category of the aggregate's streams, e.g. {@code product} for {@code product-sku-1}. */
    public String category() {
        return aggregate.category();
    }

    /** The HTTP collection, e.g. {@code products}: {@code /products/{id}}. */
    public String collection() {
        return collection;
    }

    /** The name of the id's field in command answers and not-found problems: {@code id} unless set. */
    public String idField() {
        return idField;
    }

    /** The commands by name, in the order they were registered; unmodifiable. */
    public Map<String, CommandReader<? extends C>> commands() {
        return commands;
    }

    /** The reader of command {@code name}, empty for a name the aggregate does not take. */
    public Optional<CommandReader<? extends C>> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /**
     * How the events are stored and read: the registered codec, with the event types' {@link Builder#eventVersion
     * versions} and {@link Builder#upcast upcasters}. It encodes every event with its type's current version, and
     * {@link EventCodec#upcast upcasts} a stored event of an older version to the current one before decoding it.
     */
    public EventCodec<E> events() {
        return events;
    }

    /**
     * The current version of event type {@code type}: as {@link Builder#eventVersion registered}, else 1 (also for
     * a name that is not one of the codec's types).
     *
     * @throws NullPointerException when {@code type} is null
     */
    public int eventVersion(String type) {
        return events.current(requireNonNull(type, "type must not be null"));
    }

    /** How the state is stored in views and snapshots, with its schema version. */
    public StateCodec<S> state() {
        return state;
    }

    /** How the state is shown by {@code GET /{collection}/{id}}. */
    public StateView<S> view() {
        return view;
    }

    /** The HTTP status of a rejection with {@code reason}: as mapped, else {@value #DEFAULT_REJECTION_STATUS}. */
    public int statusOf(String reason) {
        return rejectionStatuses.getOrDefault(requireNonNull(reason, "reason must not be null"),
                DEFAULT_REJECTION_STATUS);
    }

    /** The aggregate's stream for {@code id}. @throws io.cairn.domain.InvalidInputException for an invalid id */
    public StreamId streamOf(String id) {
        return aggregate.streamOf(id);
    }

    @Override
    public String toString() {
        return "aggregate " + category() + " (/" + collection + ", commands " + commands.keySet() + ")";
    }

    /**
     * Builds an {@link AggregateType}. Not thread-safe. Every method refuses a null argument with a
     * {@link NullPointerException} and a bad one with an {@link IllegalArgumentException} naming it.
     */
    public static final class Builder<C, E, S> {
        private final Aggregate<C, E, S> aggregate;
        private String collection;
        private String idField = "id";
        private final Map<String, CommandReader<? extends C>> commands = new LinkedHashMap<>();
        private EventCodec<E> events;
        private UpcastingEventCodec<E> upcasting;
        private final Map<String, Integer> eventVersions = new LinkedHashMap<>();
        private final Map<String, UpcastingEventCodec.Step> upcasters = new LinkedHashMap<>();
        private StateCodec<S> state;
        private StateView<S> view;
        private final Map<String, Integer> rejectionStatuses = new LinkedHashMap<>();

        private Builder(Aggregate<C, E, S> aggregate) {
            this.aggregate = requireNonNull(aggregate, "aggregate must not be null");
            String category = requireNonNull(aggregate.category(), "the aggregate's category must not be null");
            check(CATEGORY.matcher(category).matches(), "category '" + category
                    + "' must be 1-64 characters of [A-Za-z0-9._:] (a dash ends the category in a stream id)");
        }

        /**
         * The HTTP collection: 1-64 characters of {@code [a-z0-9-]}, starting with a letter, none of
         * {@link #RESERVED_COLLECTIONS}. Required.
         */
        public Builder<C, E, S> collection(String collection) {
            requireNonNull(collection, "collection must not be null");
            check(NAME.matcher(collection).matches(), "collection '" + collection
                    + "' must be 1-64 characters of [a-z0-9-], starting with a letter");
            check(!RESERVED_COLLECTIONS.contains(collection), "collection '" + collection
                    + "' is one of Cairn's own routes " + RESERVED_COLLECTIONS);
            this.collection = collection;
            return this;
        }

        /** The id's field name in command answers (default {@code id}), e.g. {@code accountId}. */
        public Builder<C, E, S> idField(String idField) {
            requireNonNull(idField, "idField must not be null");
            check(FIELD.matcher(idField).matches() && !idField.equals("revision"),
                    "idField '" + idField + "' must be a JSON field name other than revision");
            this.idField = idField;
            return this;
        }

        /**
         * A command, served at {@code POST /{collection}/{id}/{name}}. At least one is required.
         *
         * @param name   1-64 characters of {@code [a-z0-9-]}, starting with a letter; each name once
         * @param reader how the body becomes the command
         */
        public Builder<C, E, S> command(String name, CommandReader<? extends C> reader) {
            requireNonNull(name, "name must not be null");
            requireNonNull(reader, "reader must not be null");
            check(NAME.matcher(name).matches(), "command name '" + name
                    + "' must be 1-64 characters of [a-z0-9-], starting with a letter");
            check(!commands.containsKey(name), "command name '" + name + "' is given twice");
            commands.put(name, reader);
            return this;
        }

        /** The event codec. Required, either this way or with {@link #events(Class)}. */
        public Builder<C, E, S> events(EventCodec<E> codec) {
            this.events = requireNonNull(codec, "codec must not be null");
            return this;
        }

        /**
         * Events as JSON: {@code events} is a sealed interface whose permitted subclasses are records; each is
         * stored under its simple name as type, its components as the data.
         */
        public Builder<C, E, S> events(Class<E> events) {
            requireNonNull(events, "events must not be null");
            try {
                return events(JacksonEventCodec.forSealed(events));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("events: " + e.getMessage(), e);
            }
        }

        /**
         * The current version of event type {@code type}, for when its JSON shape changes: bump it, and register
         * an {@link #upcast upcaster} from the previous version, so that the events stored before decode as the new
         * shape. Every type is at version 1 until given another; every event Cairn stored before it kept versions is
         * version 1. Events are written with their type's current version.
         *
         * @param type    one of the event codec's types (checked by {@link #build}); each type once
         * @param version {@code >= 1}
         */
        public Builder<C, E, S> eventVersion(String type, int version) {
            requireNonNull(type, "type must not be null");
            check(version >= 1, "the version of event type " + type + " must be >= 1, was " + version);
            check(!eventVersions.containsKey(type), "event type " + type + " is given a version twice");
            eventVersions.put(type, version);
            return this;
        }

        /**
         * Reads the events of {@code type} stored at {@code fromVersion} as version {@code fromVersion + 1}: one
         * step of the type's upcaster chain. A type at version n needs a step from each of 1 .. n-1 (from the
         * version it was renamed into, for a renamed type); Cairn runs them in turn on every read of an older
         * event, before decoding it. The same as {@code upcast(type, fromVersion, type, upcaster)}.
         *
         * @param fromVersion {@code >= 1}, below the type's current version (checked by {@link #build}); each
         *                    {@code (type, fromVersion)} once
         */
        public Builder<C, E, S> upcast(String type, int fromVersion, Upcaster upcaster) {
            return upcast(type, fromVersion, type, upcaster);
        }

        /**
         * As {@link #upcast(String, int, Upcaster)}, renaming the type: an event of {@code type} at
         * {@code fromVersion} is read as an event of {@code toType} at {@code fromVersion + 1}. {@code type} is the
         * old name, no longer one of the codec's types; {@code toType}'s chain goes on from {@code fromVersion + 1}
         * to its current version.
         *
         * <pre>{@code
         * .eventVersion("Credited", 2)                    // Deposited, version 1, is now Credited, version 2
         * .upcast("Deposited", 1, "Credited", data -> data)
         * }</pre>
         *
         * @param type        the stored type's name: 1-200 characters of {@code [A-Za-z0-9._:-]}
         * @param fromVersion {@code >= 1}; each {@code (type, fromVersion)} once
         * @param toType      the type's name at {@code fromVersion + 1}
         */
        public Builder<C, E, S> upcast(String type, int fromVersion, String toType, Upcaster upcaster) {
            requireNonNull(type, "type must not be null");
            requireNonNull(toType, "toType must not be null");
            requireNonNull(upcaster, "upcaster must not be null");
            check(EVENT_TYPE.matcher(type).matches(), "event type '" + type
                    + "' must be 1-200 characters of [A-Za-z0-9._:-]");
            check(EVENT_TYPE.matcher(toType).matches(), "event type '" + toType
                    + "' must be 1-200 characters of [A-Za-z0-9._:-]");
            check(fromVersion >= 1, "the upcaster of " + type + " must read a version >= 1, was " + fromVersion);
            String key = fromVersion + ":" + type;
            check(!upcasters.containsKey(key), "event type " + type + " has two upcasters from version "
                    + fromVersion);
            upcasters.put(key, new UpcastingEventCodec.Step(type, fromVersion, toType, upcaster));
            return this;
        }

        /** The state codec. Required, either this way or with {@link #state(Class, int)}. */
        public Builder<C, E, S> state(StateCodec<S> codec) {
            this.state = requireNonNull(codec, "codec must not be null");
            return this;
        }

        /**
         * The state as JSON: {@code state} is a record (components of records, lists, maps, enums and scalars).
         *
         * @param schemaVersion bump it whenever the state's shape changes: views and snapshots of another
         *                      version are rebuilt from the events instead of misread; {@code >= 1}
         */
        public Builder<C, E, S> state(Class<S> state, int schemaVersion) {
            requireNonNull(state, "state must not be null");
            check(state.isRecord(), "state " + state.getName() + " must be a record");
            check(schemaVersion >= 1, "schemaVersion must be >= 1, was " + schemaVersion);
            return state(new JacksonStateCodec<>(state, schemaVersion));
        }

        /** How the state is shown; default {@link StateView#fields StateView.fields(idField)}. */
        public Builder<C, E, S> view(StateView<S> view) {
            this.view = requireNonNull(view, "view must not be null");
            return this;
        }

        /**
         * Answers rejections with {@code reason} with {@code status} instead of 422: e.g. 404 for a command on an
         * aggregate that does not exist yet.
         *
         * @param status 400-499
         */
        public Builder<C, E, S> rejection(String reason, int status) {
            requireNonNull(reason, "reason must not be null");
            check(!reason.isEmpty(), "reason must not be empty");
            check(status >= 400 && status <= 499, "status of rejection '" + reason + "' must be 400-499, was "
                    + status);
            check(!rejectionStatuses.containsKey(reason), "rejection '" + reason + "' is mapped twice");
            rejectionStatuses.put(reason, status);
            return this;
        }

        /**
         * @throws IllegalStateException when the collection, a command, or a codec is missing; when a version names
         *                               a type the event codec does not know; when the upcasters do not lead every
         *                               stored version to its type's current one: an upcaster for a version at or
         *                               above the current one, one for a type the codec does not know (and no
         *                               chain renames into one it knows), a version without an upcaster between a
         *                               type's first and current version. The message names the aggregate.
         */
        public AggregateType<C, E, S> build() {
            String what = "aggregate " + aggregate.category();
            if (collection == null) {
                throw new IllegalStateException(what + " has no collection");
            }
            if (commands.isEmpty()) {
                throw new IllegalStateException(what + " has no command");
            }
            if (events == null) {
                throw new IllegalStateException(what + " has no event codec");
            }
            if (state == null) {
                throw new IllegalStateException(what + " has no state codec");
            }
            upcasting = UpcastingEventCodec.of(what, events, eventVersions, List.copyOf(upcasters.values()));
            return new AggregateType<>(this);
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
