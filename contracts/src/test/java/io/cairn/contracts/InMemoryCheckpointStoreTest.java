package io.cairn.contracts;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.port.CheckpointStore;

class InMemoryCheckpointStoreTest extends CheckpointStoreContract {

    @Override
    protected CheckpointStore newStore() {
        return new InMemoryCheckpointStore();
    }
}
