package io.cairn.contracts;

import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.port.SnapshotStore;

class InMemorySnapshotStoreTest extends SnapshotStoreContract {

    @Override
    protected SnapshotStore<TestState> newStore() {
        return new InMemorySnapshotStore<>();
    }
}
