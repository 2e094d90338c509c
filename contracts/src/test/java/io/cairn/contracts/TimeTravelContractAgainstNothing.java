package io.cairn.contracts;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class TimeTravelContractAgainstNothing extends TimeTravelContract {

    @Override
    protected Stores newStores() {
        return new Stores(new NothingStores.NothingEventStore(), new NothingStores.NothingSnapshotStore<>(),
                new NothingStores.NothingViewStore<>());
    }
}
