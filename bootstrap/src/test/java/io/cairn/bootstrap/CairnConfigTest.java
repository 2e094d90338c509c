package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.bootstrap.CairnConfig.InvalidConfigException;
import io.cairn.bootstrap.CairnConfig.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnConfigTest {

    @TempDir
    Path dir;

    @Test
    void the_defaults_serve_the_embedded_dynamodb_on_port_8080() {
        CairnConfig config = CairnConfig.load(Optional.empty(), Map.of());

        assertThat(config.store()).isEqualTo(StoreKind.DYNAMODB);
        assertThat(config.dynamoDb().embedded()).isTrue();
        assertThat(config.dataDir()).isEqualTo(Path.of("./cairn-data"));
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.maxRequestBytes()).isEqualTo(1024 * 1024);
        assertThat(config.commandMaxAttempts()).isEqualTo(5);
        assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void every_key_can_be_set_by_its_cairn_environment_variable() {
        CairnConfig config = CairnConfig.load(Optional.empty(), Map.of(
                "CAIRN_HTTP_PORT", "9090",
                "CAIRN_STORE", "postgres",
                "CAIRN_POSTGRES_URL", "jdbc:postgresql://db.internal:5432/ledger",
                "CAIRN_POSTGRES_POOL_SIZE", "32",
                "CAIRN_HTTP_MAX_REQUEST_BYTES", "2MiB",
                "CAIRN_COMMANDS_BASE_BACKOFF", "7ms",
                "CAIRN_VIEWS_CACHE_SIZE", "12"));

        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.store()).isEqualTo(StoreKind.POSTGRES);
        assertThat(config.maxRequestBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.commandBaseBackoff()).isEqualTo(Duration.ofMillis(7));
        assertThat(config.viewCacheSize()).isEqualTo(12);
        assertThat(config.postgres().url()).isEqualTo("jdbc:postgresql://db.internal:5432/ledger");
        assertThat(config.postgres().poolSize()).isEqualTo(32);
    }

    @Test
    void the_plugin_directory_and_the_domains_to_run_are_read_and_checked(@TempDir Path dir) {
        assertThat(CairnConfig.load(Optional.empty(), Map.of()).domains())
                .isEqualTo(CairnConfig.DomainsConfig.all());

        CairnConfig config = CairnConfig.load(Optional.empty(), Map.of("CAIRN_PLUGINS", dir.toString(),
                "CAIRN_DOMAINS", " inventory, accounts ,,"));
        assertThat(config.domains().plugins()).contains(dir);
        assertThat(config.domains().only()).containsExactlyInAnyOrder("inventory", "accounts");

        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(),
                Map.of("CAIRN_PLUGINS", dir.resolve("missing").toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.plugins (CAIRN_PLUGINS)").hasMessageContaining("missing");
    }

    @Test
    void dynamodb_defaults_to_an_embedded_dynamodb_local_that_creates_its_tables() {
        CairnConfig.DynamoDbConfig dynamo = CairnConfig.load(Optional.empty(), Map.of()).dynamoDb();

        assertThat(dynamo.embedded()).isTrue();
        assertThat(dynamo.endpoint()).isEmpty();
        assertThat(dynamo.createTables()).isTrue();
        assertThat(dynamo.tablePrefix()).isEqualTo("cairn-");
    }

    @Test
    void dynamodb_on_aws_only_checks_its_tables_unless_told_to_create_them() {
        Map<String, String> aws = Map.of("CAIRN_DYNAMODB_ENDPOINT", "aws", "CAIRN_DYNAMODB_REGION", "eu-west-1",
                "CAIRN_DYNAMODB_TABLE_PREFIX", "prod-");

        CairnConfig.DynamoDbConfig dynamo = CairnConfig.load(Optional.empty(), aws).dynamoDb();

        assertThat(dynamo.embedded()).isFalse();
        assertThat(dynamo.endpoint()).isEmpty();
        assertThat(dynamo.region()).isEqualTo("eu-west-1");
        assertThat(dynamo.tablePrefix()).isEqualTo("prod-");
        assertThat(dynamo.createTables()).isFalse();
        var told = new java.util.HashMap<>(aws);
        told.put("CAIRN_DYNAMODB_CREATE_TABLES", "true");
        assertThat(CairnConfig.load(Optional.empty(), told).dynamoDb().createTables()).isTrue();
    }

    @Test
    void a_dynamodb_endpoint_on_loopback_creates_its_tables_and_a_remote_one_does_not() {
        var local = CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_ENDPOINT", "http://localhost:8000"));
        var remote = CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_ENDPOINT", "https://dynamo.example:443"));

        assertThat(local.dynamoDb().endpoint()).hasValue(java.net.URI.create("http://localhost:8000"));
        assertThat(local.dynamoDb().createTables()).isTrue();
        assertThat(remote.dynamoDb().createTables()).isFalse();
    }

    @Test
    void bad_dynamodb_settings_are_refused_naming_the_key() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_ENDPOINT", "localhost:8000")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CAIRN_DYNAMODB_ENDPOINT");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_TABLE_PREFIX", "bad prefix")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CAIRN_DYNAMODB_TABLE_PREFIX");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_CREATE_TABLES", "maybe")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CAIRN_DYNAMODB_CREATE_TABLES");
    }

    @Test
    void the_postgres_store_needs_a_postgres_jdbc_url() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_STORE", "postgres")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("CAIRN_POSTGRES_URL").hasMessageContaining("must be set");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_STORE", "postgres",
                "CAIRN_POSTGRES_URL", "jdbc:mysql://localhost/cairn")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("PostgreSQL JDBC URL");
    }

    @Test
    void a_value_the_adapter_refuses_is_refused_at_start_up_naming_the_key() {
        Map<String, String> postgres = Map.of("CAIRN_STORE", "postgres",
                "CAIRN_POSTGRES_URL", "jdbc:postgresql://localhost/cairn", "CAIRN_POSTGRES_POOL_SIZE", "1");

        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), postgres))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("CAIRN_POSTGRES_POOL_SIZE").hasMessageContaining(">= 2");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_DYNAMODB_REGION", "EU West")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CAIRN_DYNAMODB_REGION");
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_STORE", "postgres",
                "CAIRN_POSTGRES_URL", "jdbc:postgresql://localhost/cairn", "CAIRN_POSTGRES_SCHEMA", "Bad-Schema")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("CAIRN_POSTGRES_SCHEMA");
    }

    @Test
    void the_postgres_password_never_shows_in_the_config_text() {
        CairnConfig config = CairnConfig.load(Optional.empty(), Map.of("CAIRN_STORE", "postgres",
                "CAIRN_POSTGRES_URL", "jdbc:postgresql://localhost/cairn", "CAIRN_POSTGRES_PASSWORD", "hunter2"));

        assertThat(config.postgres().password()).isEqualTo("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2");
    }

    @Test
    void the_environment_variable_of_a_key_is_its_path_upper_cased_with_underscores() {
        assertThat(CairnConfig.environmentVariableOf("cairn.http.max-request-bytes")).isEqualTo("CAIRN_HTTP_MAX_REQUEST_BYTES");
        assertThat(CairnConfig.environmentVariableOf("cairn.store")).isEqualTo("CAIRN_STORE");
    }

    @Test
    void a_config_file_overrides_the_defaults_and_the_environment_overrides_the_file() throws Exception {
        Path file = dir.resolve("cairn.conf");
        Files.writeString(file, "cairn.http.port = 7000\ncairn.commands.max-attempts = 9\n");

        CairnConfig config = CairnConfig.load(Optional.of(file), Map.of("CAIRN_HTTP_PORT", "7001"));

        assertThat(config.commandMaxAttempts()).isEqualTo(9);
        assertThat(config.httpPort()).isEqualTo(7001);
    }

    @Test
    void a_port_out_of_range_is_refused_naming_the_key_and_its_variable() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_PORT", "70000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.http.port")
                .hasMessageContaining("CAIRN_HTTP_PORT");
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_naming_the_key() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_HTTP_PORT", "eighty")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.http.port")
                .hasMessageContaining("CAIRN_HTTP_PORT")
                .hasMessageContaining("eighty");
    }

    @Test
    void an_unknown_store_is_refused_listing_the_known_ones() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.empty(), Map.of("CAIRN_STORE", "mongo")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("memory, dynamodb, postgres");
    }

    @Test
    void an_unknown_key_in_the_file_is_refused_as_a_typo() throws Exception {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, "cairn.http.prot = 7000\n");

        assertThatThrownBy(() -> CairnConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cairn.http.prot");
    }

    @Test
    void a_missing_config_file_is_refused() {
        assertThatThrownBy(() -> CairnConfig.load(Optional.of(dir.resolve("absent.conf")), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("absent.conf");
    }

    @Test
    void a_malformed_config_file_is_refused() throws Exception {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "cairn { http { port = ");

        assertThatThrownBy(() -> CairnConfig.load(Optional.of(file), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broken.conf");
    }
}
