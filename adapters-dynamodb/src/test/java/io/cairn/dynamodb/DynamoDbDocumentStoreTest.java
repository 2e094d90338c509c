package io.cairn.dynamodb;

import io.cairn.application.port.DocumentStore;
import io.cairn.contracts.DocumentStoreContract;
import io.cairn.contracts.TestState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

/** The document store contract against DynamoDB Local over HTTP (its subclass: in process). */
class DynamoDbDocumentStoreTest extends DocumentStoreContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbDocumentStoreTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected DocumentStore<TestState> newStore(String projection) {
        return stores().documentStore(projection, TestState.CODEC);
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
