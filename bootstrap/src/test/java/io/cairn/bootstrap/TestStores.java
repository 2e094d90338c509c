package io.cairn.bootstrap;

import io.cairn.postgres.testing.TestPostgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The environment that runs Cairn on each store in a test: HTTP on a free loopback port, data somewhere fresh. */
enum TestStores {
    MEMORY, DYNAMODB, POSTGRES;

    /** The variables for this store, plus {@code extra} (name, value, name, value...). */
    Map<String, String> environment(Path dataDir, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("CAIRN_HTTP_PORT", "0", "CAIRN_HTTP_HOST", "127.0.0.1",
                "CAIRN_STORE", name().toLowerCase(java.util.Locale.ROOT), "CAIRN_DATA_DIR", dataDir.toString()));
        if (this == POSTGRES) {
            TestPostgres server = TestPostgres.server();
            env.put("CAIRN_POSTGRES_URL", server.jdbcUrl());
            env.put("CAIRN_POSTGRES_USER", server.user());
            env.put("CAIRN_POSTGRES_PASSWORD", server.password());
            env.put("CAIRN_POSTGRES_SCHEMA", "cairn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        }
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }
}
