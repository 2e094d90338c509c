package io.cairn.dynamodb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.dynamodbv2.local.monitoring.Telemetry;
import com.amazonaws.services.dynamodbv2.local.monitoring.TelemetryUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** DynamoDB Local in process: the SDK v2 interfaces without a server, on the folder the HTTP server writes. */
class InProcessDynamoDbTest {

    @Test
    void an_in_memory_database_serves_tables_items_and_streams_through_the_sdk_interfaces() {
        try (InProcessDynamoDb dynamoDb = InProcessDynamoDb.inMemory()) {
            DynamoDbClient client = dynamoDb.client();
            DynamoDbStreamsClient streams = dynamoDb.streamsClient();
            createTable(client, "items");

            client.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS("a"),
                    "text", AttributeValue.fromS("données ✓"))));

            assertThat(client.getItem(b -> b.tableName("items").key(key("a")).consistentRead(true)).item())
                    .containsEntry("text", AttributeValue.fromS("données ✓"));
            String streamArn = client.describeTable(b -> b.tableName("items")).table().latestStreamArn();
            String shardId = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0)
                    .shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertThat(streams.getRecords(b -> b.shardIterator(iterator)).records())
                    .singleElement().satisfies(r -> assertThat(r.dynamodb().newImage()).containsKey("text"));
            assertThat(dynamoDb.databaseFile()).isEmpty();
        }
    }

    @Test
    void a_failed_condition_hands_back_the_item_that_failed_it() {
        try (InProcessDynamoDb dynamoDb = InProcessDynamoDb.inMemory()) {
            DynamoDbClient client = dynamoDb.client();
            createTable(client, "items");
            client.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS("a"),
                    "n", AttributeValue.fromN("1"))));

            assertThatThrownBy(() -> client.putItem(b -> b.tableName("items").item(key("a"))
                    .conditionExpression("attribute_not_exists(id)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                    .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                            e -> assertThat(e.item()).containsEntry("n", AttributeValue.fromN("1")));
        }
    }

    @Test
    void a_folder_written_by_the_http_server_opens_in_process_with_its_tables_and_items(@TempDir Path folder) {
        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.persistentIn(folder);
             DynamoDbClient client = httpClientOf(server)) {
            createTable(client, "kept");
            client.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("k"),
                    "v", AttributeValue.fromS("over http"))));
        }
        assertThat(folder.resolve(InProcessDynamoDb.DATABASE_FILE)).exists();

        try (InProcessDynamoDb dynamoDb = InProcessDynamoDb.persistentIn(folder)) {
            DynamoDbClient client = dynamoDb.client();
            assertThat(client.listTables().tableNames()).containsExactly("kept");
            assertThat(client.getItem(b -> b.tableName("kept").key(key("k")).consistentRead(true)).item())
                    .containsEntry("v", AttributeValue.fromS("over http"));
            assertThat(client.describeTable(b -> b.tableName("kept")).table().latestStreamArn()).isNotNull();
            client.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("j"),
                    "v", AttributeValue.fromS("in process"))));
            assertThat(dynamoDb.databaseFile()).contains(folder.toAbsolutePath().resolve(InProcessDynamoDb.DATABASE_FILE));
        }

        try (EmbeddedDynamoDb server = EmbeddedDynamoDb.persistentIn(folder);
             DynamoDbClient client = httpClientOf(server)) {
            assertThat(client.getItem(b -> b.tableName("kept").key(key("j")).consistentRead(true)).item())
                    .as("and back: written in process, read over HTTP")
                    .containsEntry("v", AttributeValue.fromS("in process"));
        }
    }

    @Test
    void a_database_in_a_folder_finds_its_tables_again_after_a_restart(@TempDir Path parent) {
        Path folder = parent.resolve("not-yet-there");
        try (InProcessDynamoDb first = InProcessDynamoDb.persistentIn(folder)) {
            createTable(first.client(), "kept");
            first.client().putItem(b -> b.tableName("kept").item(key("k")));
        }
        assertThat(Files.isDirectory(folder)).isTrue();

        try (InProcessDynamoDb second = InProcessDynamoDb.persistentIn(folder)) {
            assertThat(second.client().getItem(b -> b.tableName("kept").key(key("k")).consistentRead(true))
                    .hasItem()).isTrue();
        }
    }

    @Test
    void a_folder_open_in_this_jvm_is_refused_a_second_time_until_it_is_closed(@TempDir Path folder) {
        try (InProcessDynamoDb first = InProcessDynamoDb.persistentIn(folder)) {
            assertThatThrownBy(() -> InProcessDynamoDb.persistentIn(folder))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(InProcessDynamoDb.DATABASE_FILE)
                    .hasStackTraceContaining("already in use");
        }

        InProcessDynamoDb.persistentIn(folder).close();
    }

    @Test
    void closing_a_client_leaves_the_database_open_and_closing_the_database_fails_later_calls_as_unreachable() {
        InProcessDynamoDb dynamoDb = InProcessDynamoDb.inMemory();
        DynamoDbClient client = dynamoDb.client();

        client.close();
        dynamoDb.streamsClient().close();
        assertThat(client.listTables().tableNames()).isEmpty();

        dynamoDb.close();
        dynamoDb.close();
        assertThatThrownBy(client::listTables).isInstanceOf(SdkClientException.class)
                .hasMessageContaining("shut down");
        assertThatThrownBy(() -> dynamoDb.streamsClient().listStreams()).isInstanceOf(SdkClientException.class);
        assertThat(dynamoDb).hasToString("DynamoDB Local in process, in memory");
    }

    @Test
    void telemetry_stays_off() {
        try (InProcessDynamoDb dynamoDb = InProcessDynamoDb.inMemory()) {
            assertThat(TelemetryUtil.isTelemetryEnabled(true)).isFalse();
            // DynamoDB Local creates its telemetry client only when telemetry is on; none means nothing is sent
            assertThat(Telemetry.getTelemetry()).isEmpty();
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static void createTable(DynamoDbClient client, String name) {
        client.createTable(b -> b.tableName(name)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_IMAGE).build()));
    }

    private static DynamoDbClient httpClientOf(EmbeddedDynamoDb server) {
        return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
