package io.cairn.contracts;

import io.cairn.application.port.ViewStore;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class ViewStoreContractAgainstNothing extends ViewStoreContract {

    @Override
    protected ViewStore<TestState> newStore() {
        return new NothingStores.NothingViewStore<>();
    }
}
