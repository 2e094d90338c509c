package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Cairn's four tables ({@link TableNames}), on demand (PAY_PER_REQUEST): the events table with a stream of new
 * images, the views, the checkpoints and the documents tables. The same definitions for production are in
 * {@code io/cairn/dynamodb/cloudformation.yaml} beside this class.
 */
final class DynamoDbTables {

    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(200);

    private static final java.time.Duration ADMIN_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final DynamoDbClient client;
    private final TableNames names;

    DynamoDbTables(DynamoDbClient client, TableNames names) {
        this.client = requireNonNull(client, "client must not be null");
        this.names = requireNonNull(names, "names must not be null");
    }

    /**
     * Makes sure the tables are there, active, and the events table has its stream. Each table is described once;
     * only a missing one is created (with {@code create}) and only one not yet active is polled, so tables that
     * exist cost one DescribeTable each.
     *
     * @throws IllegalStateException naming the first missing table (without {@code create}), or the events table
     *                               when its stream is off
     */
    void ensure(boolean create) {
        Map<String, CreateTableRequest> definitions = new LinkedHashMap<>();
        definitions().forEach(table -> definitions.put(table.tableName(), table));
        for (Map.Entry<String, CreateTableRequest> table : definitions.entrySet()) {
            Optional<TableDescription> found = find(table.getKey());
            if (found.isEmpty()) {
                if (!create) {
                    throw missing(table.getKey());
                }
                createTable(table.getValue());
            }
            TableDescription description = found.filter(d -> d.tableStatus() == TableStatus.ACTIVE)
                    .orElseGet(() -> awaitActive(table.getKey()));
            if (table.getKey().equals(names.events()) && description.latestStreamArn() == null) {
                throw new IllegalStateException("DynamoDB table " + table.getKey() + " has no stream; Cairn's "
                        + "projections need one with StreamViewType NEW_IMAGE (see io/cairn/dynamodb/cloudformation.yaml)");
            }
        }
    }

    private void createTable(CreateTableRequest table) {
        DynamoDbCalls.call(table.tableName(), "CreateTable", () -> {
            try {
                // table creation is admin work, synchronous and slow on DynamoDB Local under load: it gets
                // longer than the data calls' 5 s
                return client.createTable(table.toBuilder().overrideConfiguration(o -> o
                        .apiCallTimeout(ADMIN_TIMEOUT).apiCallAttemptTimeout(ADMIN_TIMEOUT)).build());
            } catch (ResourceInUseException e) {
                return null; // being created by another instance: waited for by the caller
            }
        });
    }

    List<CreateTableRequest> definitions() {
        return List.of(
                table(names.events(), List.of(key(CommitItems.STREAM, KeyType.HASH, ScalarAttributeType.S),
                        key(CommitItems.REVISION, KeyType.RANGE, ScalarAttributeType.N)))
                        .toBuilder().streamSpecification(StreamSpecification.builder().streamEnabled(true)
                                .streamViewType(StreamViewType.NEW_IMAGE).build()).build(),
                table(names.views(), List.of(key(DynamoDbViewStore.ID, KeyType.HASH, ScalarAttributeType.S))),
                table(names.checkpoints(), List.of(key(DynamoDbCheckpointStore.PROJECTION, KeyType.HASH,
                        ScalarAttributeType.S))),
                table(names.documents(), List.of(key(DynamoDbDocumentStore.PROJECTION, KeyType.HASH,
                        ScalarAttributeType.S), key(DynamoDbDocumentStore.KEY, KeyType.RANGE, ScalarAttributeType.S))));
    }

    /** The table's description, or empty when it does not exist. */
    private Optional<TableDescription> find(String table) {
        try {
            // the first call of a start-up also loads the SDK's request path, and DynamoDB Local's, which on a busy
            // machine can take longer than the data calls' 5 s; each attempt keeps its 2 s, so a DynamoDB that does
            // not answer still fails the start within seconds
            return Optional.of(DynamoDbCalls.call(table, "DescribeTable",
                    () -> client.describeTable(b -> b.tableName(table)
                            .overrideConfiguration(o -> o.apiCallTimeout(ADMIN_TIMEOUT)))).table());
        } catch (StoreUnavailableException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private TableDescription describe(String table) {
        return find(table).orElseThrow(() -> missing(table));
    }

    private static IllegalStateException missing(String table) {
        return new IllegalStateException("DynamoDB table " + table + " does not exist; create it (see "
                + "io/cairn/dynamodb/cloudformation.yaml) or let Cairn create its tables");
    }

    private TableDescription awaitActive(String table) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (true) {
            TableDescription description = describe(table);
            if (description.tableStatus() == TableStatus.ACTIVE) {
                return description;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("DynamoDB table " + table + " was not active within " + ACTIVE_TIMEOUT);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, e);
            }
        }
    }

    private static CreateTableRequest table(String name, List<KeyElement> keys) {
        return CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.name())
                        .keyType(k.type()).build()).toList())
                .attributeDefinitions(keys.stream().map(k -> AttributeDefinition.builder().attributeName(k.name())
                        .attributeType(k.attributeType()).build()).toList())
                .build();
    }

    private static KeyElement key(String name, KeyType type, ScalarAttributeType attributeType) {
        return new KeyElement(name, type, attributeType);
    }

    private record KeyElement(String name, KeyType type, ScalarAttributeType attributeType) {
    }
}
