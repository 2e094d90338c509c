package io.cairn.contracts;

import io.cairn.application.memory.InMemoryDurableChannel;
import io.cairn.application.memory.InMemoryEventStore;

class InMemoryDurableChannelTest extends DurableChannelContract {

    @Override
    protected Backend newBackend() {
        InMemoryEventStore store = new InMemoryEventStore();
        return new Backend(store, new InMemoryDurableChannel(store, 20));
    }
}
