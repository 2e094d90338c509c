package io.cairn.contracts;

import io.cairn.application.port.EventStore;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class EventStoreContractAgainstNothing extends EventStoreContract {

    @Override
    protected EventStore newStore() {
        return new NothingStores.NothingEventStore();
    }
}
