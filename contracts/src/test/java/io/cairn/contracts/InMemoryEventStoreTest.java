package io.cairn.contracts;

import io.cairn.application.memory.InMemoryEventStore;
import io.cairn.application.port.EventStore;

class InMemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new InMemoryEventStore();
    }
}
