package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

import io.cairn.domain.StreamId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Argument checks every {@link ViewStore} makes the same way. */
public final class ViewStores {

    private ViewStores() {
    }

    /** @throws IllegalArgumentException unless {@code 0 <= replacing < view.revision()} */
    public static void checkReplacing(Snapshot<?> view, long replacing) {
        if (replacing < 0 || replacing >= view.revision()) {
            throw new IllegalArgumentException("a view at revision " + view.revision()
                    + " cannot replace revision " + replacing + ": views only move forward");
        }
    }

    /** @throws IllegalArgumentException when two of {@code writes} are for one stream */
    public static void checkDistinctStreams(List<? extends ViewWrite<?>> writes) {
        requireNonNull(writes, "writes must not be null");
        Set<StreamId> streams = new HashSet<>();
        for (ViewWrite<?> write : writes) {
            if (!streams.add(requireNonNull(write, "a write must not be null").view().stream())) {
                throw new IllegalArgumentException("two writes for " + write.view().stream()
                        + ": at most one per stream");
            }
        }
    }
}
