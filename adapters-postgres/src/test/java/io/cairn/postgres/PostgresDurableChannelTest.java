package io.cairn.postgres;

import io.cairn.contracts.DurableChannelContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDurableChannelTest extends DurableChannelContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected Backend newBackend() {
        return new Backend(postgres.classStores().eventStore(), postgres.classStores().durableChannel());
    }
}
