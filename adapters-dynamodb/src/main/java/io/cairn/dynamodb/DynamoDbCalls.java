package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.StoreUnavailableException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Every DynamoDB call Cairn's stores make goes through here: each asks for its consumed capacity and counts it
 * ({@link ConsumedCapacity}), and a fault that means the store cannot serve becomes a
 * {@link StoreUnavailableException}. A failed conditional write is rethrown as it is, for the caller to read.
 * Thread-safe.
 */
final class DynamoDbCalls {

    private final DynamoDbClient client;
    private final ConsumedCapacity capacity;

    DynamoDbCalls(DynamoDbClient client, ConsumedCapacity capacity) {
        this.client = requireNonNull(client, "client must not be null");
        this.capacity = requireNonNull(capacity, "capacity must not be null");
    }

    DynamoDbClient client() {
        return client;
    }

    /** @throws ConditionalCheckFailedException when the request's condition does not hold; nothing was written */
    PutItemResponse putItem(PutItemRequest request) {
        PutItemRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        try {
            PutItemResponse response = call(request.tableName(), "PutItem", () -> client.putItem(metered));
            record(request.tableName(), "PutItem", response.consumedCapacity());
            return response;
        } catch (ConditionalCheckFailedException e) {
            capacity.record(request.tableName(), "PutItem", 0, ItemSize.writeUnits(request.item()));
            throw e;
        }
    }

    GetItemResponse getItem(GetItemRequest request) {
        GetItemRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        GetItemResponse response = call(request.tableName(), "GetItem", () -> client.getItem(metered));
        record(request.tableName(), "GetItem", response.consumedCapacity());
        return response;
    }

    QueryResponse query(QueryRequest request) {
        QueryRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        QueryResponse response = call(request.tableName(), "Query", () -> client.query(metered));
        record(request.tableName(), "Query", response.consumedCapacity());
        return response;
    }

    ScanResponse scan(ScanRequest request) {
        ScanRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        ScanResponse response = call(request.tableName(), "Scan", () -> client.scan(metered));
        record(request.tableName(), "Scan", response.consumedCapacity());
        return response;
    }

    /**
     * Runs one SDK call, turning what means "the store cannot serve now" into {@link StoreUnavailableException}
     * (a missing table or shard too, with the SDK's exception as the cause) and a refused request into
     * {@link IllegalStateException}. Failed conditions and trimmed or expired stream reads are rethrown as they are.
     * The SDK has already retried what its retry strategy retries.
     */
    static <T> T call(String table, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException | TrimmedDataAccessException | ExpiredIteratorException e) {
            // answers the caller reads, not faults
            throw e;
        } catch (ResourceNotFoundException e) {
            throw new StoreUnavailableException("DynamoDB table " + table + " does not exist (" + operation + ")", e);
        } catch (SdkClientException e) {
            throw new StoreUnavailableException("DynamoDB did not answer " + operation + " on " + table + ": "
                    + e.getMessage(), e);
        } catch (AwsServiceException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new StoreUnavailableException("DynamoDB could not serve " + operation + " on " + table + ": "
                        + e.getMessage(), e);
            }
            throw new IllegalStateException("DynamoDB refused " + operation + " on " + table + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StoreUnavailableException("DynamoDB call " + operation + " on " + table + " failed: "
                    + e.getMessage(), e);
        }
    }

    private void record(String table, String operation,
                        software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity consumed) {
        if (consumed == null) {
            return;
        }
        double read = consumed.readCapacityUnits() != null ? consumed.readCapacityUnits() : 0;
        double write = consumed.writeCapacityUnits() != null ? consumed.writeCapacityUnits() : 0;
        if (read == 0 && write == 0 && consumed.capacityUnits() != null) {
            // some endpoints report only the total; a read call's total is read units, a write call's write units
            if ("PutItem".equals(operation)) {
                write = consumed.capacityUnits();
            } else {
                read = consumed.capacityUnits();
            }
        }
        capacity.record(table, operation, read, write);
    }
}
