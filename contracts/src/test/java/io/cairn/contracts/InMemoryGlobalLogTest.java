package io.cairn.contracts;

import io.cairn.application.memory.InMemoryEventStore;

class InMemoryGlobalLogTest extends GlobalLogContract {

    @Override
    protected Backend newBackend() {
        InMemoryEventStore store = new InMemoryEventStore();
        return new Backend(store, store);
    }
}
