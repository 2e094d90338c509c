package io.cairn.dynamodb.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/** DynamoDB Local serves the real SDK v2 client on this module's classpath (Jetty 12, Jackson 2.22, SLF4J). */
class EmbeddedDynamoDbTest {

    @Test
    void an_in_memory_server_serves_tables_and_streams_to_the_sdk_client() {
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.inMemory();
             DynamoDbClient client = clientOf(dynamoDb);
             DynamoDbStreamsClient streams = streamsClientOf(dynamoDb)) {
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
        }
    }

    @Test
    void a_server_in_a_folder_finds_its_tables_again_after_a_restart(@TempDir Path folder) {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.persistentIn(folder); DynamoDbClient client = clientOf(first)) {
            createTable(client, "kept");
            client.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("k"))));
        }

        try (EmbeddedDynamoDb second = EmbeddedDynamoDb.persistentIn(folder); DynamoDbClient client = clientOf(second)) {
            assertThat(client.getItem(b -> b.tableName("kept").key(key("k")).consistentRead(true)).hasItem()).isTrue();
        }
    }

    @Test
    void a_server_restarted_on_its_port_serves_the_same_tables_to_the_same_client(@TempDir Path folder) {
        EmbeddedDynamoDb first = EmbeddedDynamoDb.persistentIn(folder);
        int port = first.endpoint().getPort();
        try (DynamoDbClient client = clientOf(first)) {
            createTable(client, "kept");
            client.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("k"))));
            first.close();

            try (EmbeddedDynamoDb second = EmbeddedDynamoDb.persistentIn(folder, port)) {
                assertThat(second.endpoint()).isEqualTo(first.endpoint());
                assertThat(client.getItem(b -> b.tableName("kept").key(key("k")).consistentRead(true)).hasItem())
                        .isTrue();
            }
        }
    }

    @Test
    void a_taken_port_is_a_clear_error(@TempDir Path folder) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedDynamoDb.persistentIn(folder, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + ": the port is taken");
        }
        assertThatThrownBy(() -> EmbeddedDynamoDb.persistentIn(folder, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    @Test
    void two_servers_run_side_by_side_on_different_ports() {
        try (EmbeddedDynamoDb one = EmbeddedDynamoDb.inMemory(); EmbeddedDynamoDb two = EmbeddedDynamoDb.inMemory();
             DynamoDbClient client = clientOf(two)) {
            assertThat(one.endpoint()).isNotEqualTo(two.endpoint());
            assertThat(one.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(client.listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void closing_twice_is_harmless() {
        EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.inMemory();

        dynamoDb.close();
        dynamoDb.close();

        assertThat(dynamoDb.toString()).contains(dynamoDb.endpoint().toString());
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

    private static DynamoDbClient clientOf(EmbeddedDynamoDb dynamoDb) {
        return DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static DynamoDbStreamsClient streamsClientOf(EmbeddedDynamoDb dynamoDb) {
        return DynamoDbStreamsClient.builder().endpointOverride(dynamoDb.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
