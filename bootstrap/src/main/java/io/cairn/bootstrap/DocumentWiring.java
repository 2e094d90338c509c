package io.cairn.bootstrap;

import io.cairn.api.DocumentProjection;
import io.cairn.application.projection.DocumentFollow;
import io.cairn.application.projection.Tagged;
import io.cairn.domain.StateCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the service turns a registered {@link DocumentProjection} into the engine's parts: what it follows, and how
 * its per-stream states are stored. Public so that a team embedding the engine's parts by hand (and the benchmarks)
 * wire a document projection exactly as the service does. Stateless and thread-safe.
 */
public final class DocumentWiring {

    private DocumentWiring() {
    }

    /** The engine's view of what {@code registered} follows: one {@link DocumentFollow} per aggregate. */
    public static <D> List<DocumentFollow<?, ?, D>> follows(DocumentProjection<D> registered) {
        List<DocumentFollow<?, ?, D>> follows = new ArrayList<>();
        for (DocumentProjection.Follow<?, ?, D> follow : registered.follows()) {
            follows.add(follow(follow));
        }
        return follows;
    }

    /**
     * How {@code registered}'s per-stream states are stored: tagged with their category, each under its aggregate's
     * state codec and schema version (see {@link TaggedStateCodec}).
     */
    public static StateCodec<Tagged> states(DocumentProjection<?> registered) {
        Map<String, StateCodec<?>> states = new LinkedHashMap<>();
        for (DocumentProjection.Follow<?, ?, ?> follow : registered.follows()) {
            states.put(follow.aggregate().category(), follow.aggregate().state());
        }
        return new TaggedStateCodec(states, registered.name());
    }

    /** The categories {@code registered} follows, joined with {@code ", "}: for logs and reports. */
    public static String categories(DocumentProjection<?> registered) {
        List<String> categories = new ArrayList<>();
        registered.follows().forEach(follow -> categories.add(follow.aggregate().category()));
        return String.join(", ", categories);
    }

    private static <E, S, D> DocumentFollow<E, S, D> follow(DocumentProjection.Follow<E, S, D> registered) {
        return new DocumentFollow<>(registered.aggregate().aggregate(), registered.aggregate().events(),
                registered.handler());
    }
}
