package io.cairn.contracts;

import io.cairn.application.port.GlobalSlice;
import java.util.List;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class GlobalLogContractAgainstNothing extends GlobalLogContract {

    @Override
    protected Backend newBackend() {
        return new Backend(new NothingStores.NothingEventStore(),
                (fromPosition, maxCommits) -> new GlobalSlice(fromPosition, List.of()));
    }
}
