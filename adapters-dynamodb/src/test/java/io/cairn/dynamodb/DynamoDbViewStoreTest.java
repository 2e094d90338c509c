package io.cairn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.application.port.Snapshot;
import io.cairn.application.port.ViewStore;
import io.cairn.contracts.TestSnapshots;
import io.cairn.contracts.TestState;
import io.cairn.contracts.TestStreams;
import io.cairn.contracts.ViewStoreContract;
import io.cairn.domain.StreamId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;

/** The view store contract against DynamoDB Local over HTTP (its subclass: in process). */
class DynamoDbViewStoreTest extends ViewStoreContract {

    /** How these tests reach DynamoDB Local; {@link InProcessDynamoDbViewStoreTest} runs them in process. */
    LocalDynamoDb.Mode mode() {
        return LocalDynamoDb.Mode.HTTP;
    }

    /** This test class's stores, on tables of its own. */
    final DynamoDbStores stores() {
        return LocalDynamoDb.storesOf(getClass(), mode());
    }

    @Override
    protected ViewStore<TestState> newStore() {
        return stores().viewStore("test-states-" + java.util.UUID.randomUUID(), TestState.CODEC);
    }

    @Test
    void a_view_of_another_schema_version_reads_as_absent_and_is_replaced_by_a_first_view() {
        StreamId stream = TestStreams.aNewStream();
        stores().viewStore("versioned", TestState.CODEC).put(TestSnapshots.aSnapshotOf(stream).at(5).build(), 0);
        ViewStore<TestState> upgraded = stores().viewStore("versioned", TestState.codecOfVersion(2));

        assertThat(upgraded.get(stream)).isEmpty();
        assertThat(upgraded.put(TestSnapshots.aSnapshotOf(stream).at(6).build(), 5))
                .as("the old row is not a view at 5 for this version").isFalse();
        Snapshot<TestState> rebuilt = TestSnapshots.aSnapshotOf(stream).at(5).build();
        assertThat(upgraded.put(rebuilt, 0)).isTrue();

        assertThat(upgraded.get(stream)).contains(rebuilt);
        assertThat(stores().viewStore("versioned", TestState.CODEC).get(stream)).as("read with the old version")
                .isEmpty();
    }

    @AfterAll
    static void close(TestInfo test) {
        test.getTestClass().ifPresent(LocalDynamoDb::closeStoresOf);
    }
}
