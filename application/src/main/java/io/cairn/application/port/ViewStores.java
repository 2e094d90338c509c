package io.cairn.application.port;

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
}
