package io.cairn.postgres;

import io.cairn.contracts.TestState;
import io.cairn.contracts.TimeTravelContract;
import io.cairn.postgres.testing.PostgresStoresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Time travel against real PostgreSQL: bounded reads of the commits table, the snapshots table and a view table. */
class PostgresTimeTravelTest extends TimeTravelContract {

    @RegisterExtension
    static final PostgresStoresExtension postgres = new PostgresStoresExtension();

    @Override
    protected Stores newStores() {
        PostgresStores stores = postgres.classStores();
        return new Stores(stores.eventStore(), stores.snapshotStore(TestState.CODEC),
                stores.viewStore("time_travel", TestState.CODEC));
    }
}
