package io.cairn.contracts;

import io.cairn.application.memory.InMemoryViewStore;
import io.cairn.application.port.ViewStore;

class InMemoryViewStoreTest extends ViewStoreContract {

    @Override
    protected ViewStore<TestState> newStore() {
        return new InMemoryViewStore<>();
    }
}
