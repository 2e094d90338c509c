package io.cairn.contracts;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.memory.InMemorySnapshotStore;
import io.cairn.application.memory.InMemoryViewStore;

class InMemoryTimeTravelTest extends TimeTravelContract {

    @Override
    protected Stores newStores() {
        return new Stores(new InMemoryEventStore(), new InMemorySnapshotStore<>(), new InMemoryViewStore<>());
    }
}
