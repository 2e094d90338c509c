package io.cairn.bench;

/** Opens the backend a benchmark asked for. */
final class Backends {

    private Backends() {
    }

    static Backend open(Bench.Store store) {
        return switch (store) {
            case MEMORY -> new MemoryBackend();
            case DYNAMODB -> throw new IllegalArgumentException("the DynamoDB backend is not wired yet");
        };
    }
}
