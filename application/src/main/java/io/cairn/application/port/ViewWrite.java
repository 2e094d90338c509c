package io.cairn.application.port;

import static java.util.Objects.requireNonNull;

/**
 * One compare-and-set view write: {@code view} replaces the stored view at revision {@code replacing}.
 *
 * @param view      not null
 * @param replacing the revision of the view this one replaces (0: there is none), {@code < view.revision()}
 */
public record ViewWrite<S>(Snapshot<S> view, long replacing) {

    public ViewWrite {
        requireNonNull(view, "view must not be null");
        ViewStores.checkReplacing(view, replacing);
    }
}
