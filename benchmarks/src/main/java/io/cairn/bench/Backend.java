package io.cairn.bench;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.accounts.AccountState;
import java.util.OptionalDouble;

/**
 * The stores a benchmark runs against, what they charge, and how to let them go.
 *
 * @param readUnits  capacity units read so far under a purpose; empty for a store that charges none
 * @param writeUnits the same for writes
 * @param closer     releases whatever the stores hold (servers, clients)
 */
record Backend(String name, EventStore events, SnapshotStore<AccountState> snapshots, ViewStore<AccountState> views,
               Units readUnits, Units writeUnits, AutoCloseable closer) implements AutoCloseable {

    /** Capacity units consumed so far under a purpose. */
    @FunctionalInterface
    interface Units {
        Units NONE = purpose -> OptionalDouble.empty();

        OptionalDouble consumed(Purpose purpose);
    }

    Backend {
        requireNonNull(name, "name must not be null");
        requireNonNull(events, "events must not be null");
        requireNonNull(snapshots, "snapshots must not be null");
        requireNonNull(views, "views must not be null");
        requireNonNull(readUnits, "readUnits must not be null");
        requireNonNull(writeUnits, "writeUnits must not be null");
        requireNonNull(closer, "closer must not be null");
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
