package io.cairn.application.projection;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Checkpoint;
import io.cairn.application.port.CheckpointStore;
import io.cairn.application.port.StoreUnavailableException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which generation of a projection queries read, and which one is being built beside it: the small record a restart
 * needs to know both. A <b>generation</b> is one build of a projection from the start of history; a rebuild builds
 * generation g + 1 beside generation g, then switches queries to it and deletes g.
 *
 * <p>Kept in the {@link CheckpointStore} every store has, under {@link #key(String) $generation/&lt;name&gt;}, as
 * one text value ({@code active=2;version=3;building=3;buildingVersion=4;startedAt=...;retiring=1}). No record means
 * generation 1 at version 1: data written before generations existed. Generation 1 is stored under the projection's
 * own names, exactly as before generations; generation g &gt; 1 under {@link #storageName derived names}
 * ({@code owners.g2}: its documents, its per-stream states {@code owners.g2.streams} and its checkpoint).
 *
 * @param active        the generation queries read, &gt;= 1
 * @param activeVersion the projection's version that generation was built with, &gt;= 1
 * @param building      the generation being built, when a rebuild is under way
 * @param retiring      a generation switched away from whose data may not be deleted yet (a crash between the switch
 *                      and the delete): deleted at the next start
 */
public record GenerationRecord(int active, int activeVersion, Optional<Build> building, OptionalInt retiring) {

    /** The prefix of a generation record's key in the checkpoint store. */
    public static final String KEY_PREFIX = "$generation/";
    /** What separates a projection's name from its generation in a derived storage name. */
    public static final String GENERATION_SEPARATOR = ".g";

    /**
     * A generation being built.
     *
     * @param generation &gt; the active one
     * @param version    the projection's version it is built with, &gt;= 1
     * @param startedAt  when the rebuild started (first started: a resumed rebuild keeps it)
     */
    public record Build(int generation, int version, Instant startedAt) {
        public Build {
            requireNonNull(startedAt, "startedAt must not be null");
            if (generation < 2 || version < 1) {
                throw new IllegalArgumentException("a build is of generation >= 2 at version >= 1, not "
                        + generation + " at " + version);
            }
        }
    }

    public GenerationRecord {
        requireNonNull(building, "building must not be null");
        requireNonNull(retiring, "retiring must not be null");
        if (active < 1 || activeVersion < 1) {
            throw new IllegalArgumentException("active generation and version must be >= 1, were " + active
                    + " and " + activeVersion);
        }
        if (building.isPresent() && building.get().generation() <= active) {
            throw new IllegalArgumentException("the generation built must be above the active " + active
                    + ", was " + building.get().generation());
        }
    }

    /** Generation 1 at {@code version}, nothing being built. */
    public static GenerationRecord first(int version) {
        return new GenerationRecord(1, version, Optional.empty(), OptionalInt.empty());
    }

    /** The key of {@code projection}'s record in the checkpoint store. */
    public static String key(String projection) {
        return KEY_PREFIX + requireNonNull(projection, "projection must not be null");
    }

    /**
     * The name generation {@code generation} of a projection stores under: {@code base} itself for generation 1,
     * {@code base + ".g" + generation} above (a name no projection or view of its own can take: they have no dot).
     *
     * @throws IllegalArgumentException when {@code generation < 1}
     */
    public static String storageName(String base, int generation) {
        requireNonNull(base, "base must not be null");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        }
        return generation == 1 ? base : base + GENERATION_SEPARATOR + generation;
    }

    /** The number a new build takes: one above both the active generation and any build. */
    public int nextGeneration() {
        return Math.max(active, building.map(Build::generation).orElse(0)) + 1;
    }

    /** This record with {@code build} under way. */
    public GenerationRecord withBuilding(Build build) {
        return new GenerationRecord(active, activeVersion, Optional.of(requireNonNull(build, "build must not be null")),
                retiring);
    }

    /** This record without a build (one abandoned). */
    public GenerationRecord withoutBuilding() {
        return new GenerationRecord(active, activeVersion, Optional.empty(), retiring);
    }

    /**
     * The switch: the build becomes the active generation, the one active until now is retiring.
     *
     * @throws IllegalStateException when nothing is being built
     */
    public GenerationRecord switched() {
        Build build = building.orElseThrow(() -> new IllegalStateException("no generation is being built"));
        return new GenerationRecord(build.generation(), build.version(), Optional.empty(), OptionalInt.of(active));
    }

    /** This record once the retiring generation is deleted. */
    public GenerationRecord retired() {
        return new GenerationRecord(active, activeVersion, building, OptionalInt.empty());
    }

    /** The record as stored. */
    public Checkpoint encode() {
        StringBuilder text = new StringBuilder("active=").append(active).append(";version=").append(activeVersion);
        building.ifPresent(build -> text.append(";building=").append(build.generation())
                .append(";buildingVersion=").append(build.version())
                .append(";startedAt=").append(build.startedAt()));
        retiring.ifPresent(generation -> text.append(";retiring=").append(generation));
        return new Checkpoint(text.toString());
    }

    /**
     * Reads a stored record.
     *
     * @throws IllegalArgumentException when {@code stored} is not a record {@link #encode()} made
     */
    public static GenerationRecord decode(Checkpoint stored) {
        requireNonNull(stored, "stored must not be null");
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : stored.value().split(";")) {
            int equals = field.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("'" + stored.value() + "' is not a generation record");
            }
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        try {
            Optional<Build> building = fields.containsKey("building")
                    ? Optional.of(new Build(Integer.parseInt(fields.get("building")),
                            Integer.parseInt(fields.get("buildingVersion")), Instant.parse(fields.get("startedAt"))))
                    : Optional.empty();
            OptionalInt retiring = fields.containsKey("retiring")
                    ? OptionalInt.of(Integer.parseInt(fields.get("retiring"))) : OptionalInt.empty();
            return new GenerationRecord(Integer.parseInt(fields.get("active")),
                    Integer.parseInt(fields.get("version")), building, retiring);
        } catch (NumberFormatException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + stored.value() + "' is not a generation record", e);
        }
    }

    /**
     * The record of {@code projection}, empty when none was ever saved.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     * @throws IllegalArgumentException  when what is stored there is not a record
     */
    public static Optional<GenerationRecord> load(CheckpointStore store, String projection) {
        return store.load(key(projection)).map(GenerationRecord::decode);
    }

    /**
     * Saves this record as {@code projection}'s: durable once it returns.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    public void save(CheckpointStore store, String projection) {
        store.save(key(projection), encode());
    }
}
