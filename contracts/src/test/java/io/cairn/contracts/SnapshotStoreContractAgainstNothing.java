package io.cairn.contracts;

import io.cairn.application.port.SnapshotStore;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class SnapshotStoreContractAgainstNothing extends SnapshotStoreContract {

    @Override
    protected SnapshotStore<TestState> newStore() {
        return new NothingStores.NothingSnapshotStore<>();
    }
}
