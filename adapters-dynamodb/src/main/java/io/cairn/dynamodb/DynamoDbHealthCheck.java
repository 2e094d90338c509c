package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.HealthCheck;
import io.cairn.application.port.StoreUnavailableException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Healthy when DynamoDB describes the table as active or updating: a control-plane call that consumes no capacity.
 * Thread-safe.
 */
final class DynamoDbHealthCheck implements HealthCheck {

    private final DynamoDbClient client;
    private final String name;
    private final String table;

    DynamoDbHealthCheck(DynamoDbClient client, String name, String table) {
        this.client = requireNonNull(client, "client must not be null");
        this.name = requireNonNull(name, "name must not be null");
        this.table = requireNonNull(table, "table must not be null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void check() {
        TableStatus status = DynamoDbCalls.call(table, "DescribeTable",
                () -> client.describeTable(b -> b.tableName(table))).table().tableStatus();
        if (status != TableStatus.ACTIVE && status != TableStatus.UPDATING) {
            throw new StoreUnavailableException("DynamoDB table " + table + " is " + status, null);
        }
    }
}
