package io.cairn.contracts;

import io.cairn.application.memory.InMemoryCheckpointStore;
import io.cairn.application.memory.InMemoryDocumentStore;
import io.cairn.application.port.DocumentStore;

class InMemoryDocumentStoreTest extends DocumentStoreContract {

    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();

    @Override
    protected DocumentStore<TestState> newStore(String projection) {
        return new InMemoryDocumentStore<>(projection, checkpoints);
    }
}
