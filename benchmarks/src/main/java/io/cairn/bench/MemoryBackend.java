package io.cairn.bench;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.EventStore;
import io.cairn.application.port.Purpose;
import io.cairn.application.port.SnapshotStore;
import io.cairn.application.port.ViewStore;
import io.cairn.domain.account.AccountState;
import java.util.OptionalDouble;

/** The in-memory stores: a baseline for the harness itself, and what its smoke test runs on. */
final class MemoryBackend implements Backend {

    private final InMemoryEventStore events = new InMemoryEventStore();
    private final InMemorySnapshotStore<AccountState> snapshots = new InMemorySnapshotStore<>();
    private final InMemoryViewStore<AccountState> views = new InMemoryViewStore<>();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public SnapshotStore<AccountState> snapshots() {
        return snapshots;
    }

    @Override
    public ViewStore<AccountState> views() {
        return views;
    }

    @Override
    public OptionalDouble readUnits(Purpose purpose) {
        return OptionalDouble.empty();
    }

    @Override
    public OptionalDouble writeUnits(Purpose purpose) {
        return OptionalDouble.empty();
    }

    @Override
    public void close() {
    }
}
