package io.cairn.contracts;

import io.cairn.application.port.CheckpointStore;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class CheckpointStoreContractAgainstNothing extends CheckpointStoreContract {

    @Override
    protected CheckpointStore newStore() {
        return new NothingStores.NothingCheckpointStore();
    }
}
