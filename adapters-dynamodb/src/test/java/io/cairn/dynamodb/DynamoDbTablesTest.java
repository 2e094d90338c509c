package io.cairn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.application.port.HealthCheck;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Table creation on demand, and the start-up check when tables are to be made by an operator. */
class DynamoDbTablesTest {

    @Test
    void without_table_creation_a_missing_table_is_named_at_start_up() {
        DynamoDbSettings settings = LocalDynamoDb.freshSettings().withCreateTables(false);

        assertThatThrownBy(() -> DynamoDbStores.open(settings, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(settings.tableNames().events())
                .hasMessageContaining("does not exist");
    }

    @Test
    void tables_created_once_are_found_by_a_later_start_without_creation() {
        DynamoDbSettings settings = LocalDynamoDb.freshSettings();
        DynamoDbStores.open(settings, Optional.empty()).close();

        try (DynamoDbStores again = DynamoDbStores.open(settings.withCreateTables(false), Optional.empty());
             DynamoDbStores createdTwice = DynamoDbStores.open(settings, Optional.empty())) {
            assertThat(again.healthChecks()).extracting(HealthCheck::name)
                    .containsExactly("dynamodb-events", "dynamodb-views", "dynamodb-checkpoints",
                            "dynamodb-documents");
            again.healthChecks().forEach(HealthCheck::check);
            createdTwice.healthChecks().forEach(HealthCheck::check);
        }
    }

    @Test
    void settings_refuse_a_table_prefix_dynamodb_would_refuse() {
        assertThatThrownBy(() -> LocalDynamoDb.freshSettings().withTablePrefix("bad prefix!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    }
}
