package io.cairn.dynamodb;

import static java.util.Objects.requireNonNull;

import io.cairn.application.port.Purpose;
import io.cairn.application.port.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Every DynamoDB call Cairn's stores make goes through here: each asks for its consumed capacity and counts it
 * ({@link ConsumedCapacity}), and a fault that means the store cannot serve becomes a
 * {@link StoreUnavailableException}. A failed conditional write and a cancelled transaction are rethrown as they
 * are, for the caller to read. Thread-safe.
 */
final class DynamoDbCalls {

    /** The operations whose capacity is write units when DynamoDB reports only a total. */
    private static final Set<String> WRITES = Set.of("PutItem", "TransactWriteItems", "DeleteItem", "BatchWriteItem");
    /** What a transaction costs per write unit of its items: a prepare and a commit write each. */
    private static final int TRANSACTIONAL_COST = 2;

    private final DynamoDbClient client;
    private final ConsumedCapacity capacity;
    private final Executor concurrent;

    /** @param concurrent runs the calls of {@link #putEach} beside the caller's; bounded, not the caller's thread */
    DynamoDbCalls(DynamoDbClient client, ConsumedCapacity capacity, Executor concurrent) {
        this.client = requireNonNull(client, "client must not be null");
        this.capacity = requireNonNull(capacity, "capacity must not be null");
        this.concurrent = requireNonNull(concurrent, "concurrent must not be null");
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

    /** {@link #putItem(PutItemRequest)} of the put a transaction would make. */
    PutItemResponse putItem(Put put) {
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(put.tableName()).item(put.item());
        if (put.conditionExpression() != null) {
            request.conditionExpression(put.conditionExpression());
        }
        if (put.hasExpressionAttributeNames()) {
            request.expressionAttributeNames(put.expressionAttributeNames());
        }
        if (put.hasExpressionAttributeValues()) {
            request.expressionAttributeValues(put.expressionAttributeValues());
        }
        return putItem(request.build());
    }

    /**
     * {@link #putItem(Put)} of each put, each on its own (not one transaction): all but the first on the concurrent
     * executor, the first on the calling thread, under the caller's {@link Purpose}. Returns once every put has
     * finished.
     *
     * @return for each put, in order, true when written, false when its condition did not hold
     * @throws StoreUnavailableException (or what else a put threw) the first failure, once every put has finished,
     *                                   the others' suppressed; each put was written or not as on its own
     */
    List<Boolean> putEach(List<Put> puts) {
        if (puts.size() == 1) {
            return List.of(conditionally(puts.get(0)));
        }
        Purpose purpose = Purpose.current();
        List<FutureTask<Boolean>> others = new ArrayList<>(puts.size());
        for (Put put : puts.subList(Math.min(1, puts.size()), puts.size())) {
            FutureTask<Boolean> task = new FutureTask<>(() -> {
                try (Purpose.Scope ignored = purpose.enter()) {
                    return conditionally(put);
                }
            });
            others.add(task);
        }
        for (FutureTask<Boolean> task : others) {
            try {
                concurrent.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // the executor is shut down: the put runs here, and fails as the closed client fails
            }
        }
        RuntimeException failure = null;
        List<Boolean> written = new ArrayList<>(puts.size());
        if (!puts.isEmpty()) {
            try {
                written.add(conditionally(puts.get(0)));
            } catch (RuntimeException e) {
                failure = first(failure, e);
                written.add(false);
            }
        }
        boolean interrupted = false;
        for (FutureTask<Boolean> task : others) {
            while (true) {
                try {
                    written.add(task.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // every put finishes before this returns
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    failure = first(failure, e.getCause() instanceof RuntimeException cause ? cause
                            : new IllegalStateException(e.getCause()));
                    written.add(false);
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return written;
    }

    private boolean conditionally(Put put) {
        try {
            putItem(put);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static RuntimeException first(RuntimeException failure, RuntimeException next) {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }

    /**
     * A transaction reports its capacity per table. A cancelled one reports none; it is counted as what it would
     * have cost had it been written (two write units per KB of each item put, two per delete or condition check).
     *
     * @throws TransactionCanceledException when DynamoDB cancelled it, with the reasons; nothing was written
     */
    TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        TransactWriteItemsRequest metered = request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        String tables = tables(request.transactItems());
        try {
            TransactWriteItemsResponse response = call(tables, "TransactWriteItems",
                    () -> client.transactWriteItems(metered));
            record("TransactWriteItems", response.consumedCapacity());
            return response;
        } catch (TransactionCanceledException e) {
            for (TransactWriteItem action : request.transactItems()) {
                if (action.put() != null) {
                    capacity.record(action.put().tableName(), "TransactWriteItems", 0,
                            TRANSACTIONAL_COST * ItemSize.writeUnits(action.put().item()));
                } else {
                    capacity.record(tableOf(action), "TransactWriteItems", 0, TRANSACTIONAL_COST);
                }
            }
            throw e;
        }
    }

    /** Reports its read units per table; the caller asks again for the unprocessed keys. */
    BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        BatchGetItemRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        BatchGetItemResponse response = call(String.join(",", request.requestItems().keySet()), "BatchGetItem",
                () -> client.batchGetItem(metered));
        record("BatchGetItem", response.consumedCapacity());
        return response;
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

    DeleteItemResponse deleteItem(DeleteItemRequest request) {
        DeleteItemRequest metered = request.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        DeleteItemResponse response = call(request.tableName(), "DeleteItem", () -> client.deleteItem(metered));
        record(request.tableName(), "DeleteItem", response.consumedCapacity());
        return response;
    }

    /**
     * Deletes the items at {@code keys} of {@code table}, {@value #BATCH_WRITE_ITEMS} a {@code BatchWriteItem} at a
     * time, asking again for what DynamoDB left unprocessed (after a short pause) until all are gone.
     */
    void deleteAll(String table, List<Map<String, AttributeValue>> keys) {
        for (int from = 0; from < keys.size(); from += BATCH_WRITE_ITEMS) {
            List<WriteRequest> requests = new ArrayList<>();
            for (Map<String, AttributeValue> key : keys.subList(from, Math.min(keys.size(), from + BATCH_WRITE_ITEMS))) {
                requests.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table, requests);
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    try {
                        Thread.sleep(Math.min(1_000, 20L * attempt));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreUnavailableException("interrupted while deleting items of " + table, e);
                    }
                }
                BatchWriteItemRequest request = BatchWriteItemRequest.builder().requestItems(pending)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
                BatchWriteItemResponse response = call(table, "BatchWriteItem", () -> client.batchWriteItem(request));
                record("BatchWriteItem", response.consumedCapacity());
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    /** The most items one {@code BatchWriteItem} takes. */
    static final int BATCH_WRITE_ITEMS = 25;

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
        } catch (ConditionalCheckFailedException | TransactionCanceledException | TrimmedDataAccessException
                 | ExpiredIteratorException e) {
            // answers the caller reads, not faults
            throw e;
        } catch (TransactionInProgressException e) {
            // the SDK retried a transaction whose first attempt is still running: its outcome is not known yet
            throw new StoreUnavailableException("DynamoDB is still running an earlier attempt of " + operation
                    + " on " + table + ": " + e.getMessage(), e);
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

    private void record(String operation,
                        List<software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity> consumed) {
        if (consumed == null) {
            return;
        }
        for (software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity table : consumed) {
            record(table.tableName(), operation, table);
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
            if (WRITES.contains(operation)) {
                write = consumed.capacityUnits();
            } else {
                read = consumed.capacityUnits();
            }
        }
        capacity.record(table, operation, read, write);
    }

    private static String tables(List<TransactWriteItem> actions) {
        return String.join(",", actions.stream().map(DynamoDbCalls::tableOf).distinct().toList());
    }

    private static String tableOf(TransactWriteItem action) {
        if (action.put() != null) {
            return action.put().tableName();
        }
        if (action.delete() != null) {
            return action.delete().tableName();
        }
        if (action.update() != null) {
            return action.update().tableName();
        }
        return action.conditionCheck().tableName();
    }
}
