package io.cairn.bench;

import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.account.AccountState;
import java.util.OptionalDouble;

/** The stores a benchmark runs against, and what they charge. */
interface Backend extends AutoCloseable {

    String name();

    EventStore events();

    SnapshotStore<AccountState> snapshots();

    ViewStore<AccountState> views();

    /** Capacity units consumed so far, by purpose; empty for a store that charges none (memory, PostgreSQL). */
    OptionalDouble readUnits(Purpose purpose);

    OptionalDouble writeUnits(Purpose purpose);

    @Override
    void close();
}
