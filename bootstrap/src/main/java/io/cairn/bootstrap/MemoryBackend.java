package io.cairn.bootstrap;

import com.google.inject.Module;

/** Every store port in the heap: nothing survives the process. */
final class MemoryBackend implements StoreBackend {

    @Override
    public Module module() {
        return new MemoryStoreModule();
    }

    @Override
    public String description() {
        return "the in-memory store (everything is lost when the process stops)";
    }

    @Override
    public void close() {
    }
}
