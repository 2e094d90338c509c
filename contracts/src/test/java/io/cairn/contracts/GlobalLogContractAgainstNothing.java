package io.cairn.contracts;

import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import java.util.List;

/** Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. */
class GlobalLogContractAgainstNothing extends GlobalLogContract {

    @Override
    protected Backend newBackend() {
        return new Backend(new NothingStores.NothingEventStore(), new GlobalLog() {
            @Override
            public GlobalSlice readAll(long fromPosition, int maxCommits) {
                return new GlobalSlice(fromPosition, List.of());
            }

            @Override
            public long headPosition() {
                return 0;
            }
        });
    }
}
