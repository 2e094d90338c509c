package io.cairn.bench;

import java.net.URI;
import java.util.Optional;

/** Opens the backend a benchmark asked for. */
final class Backends {

    private Backends() {
    }

    static Backend open(Bench.Store store, Optional<URI> dynamoDbEndpoint) {
        return switch (store) {
            case MEMORY -> new MemoryBackend();
            case DYNAMODB -> DynamoDbBackend.open(dynamoDbEndpoint);
        };
    }
}
