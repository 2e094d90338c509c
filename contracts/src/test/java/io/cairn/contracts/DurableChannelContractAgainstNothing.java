package io.cairn.contracts;

import io.cairn.application.memory.InMemoryEventStore;
import java.time.Duration;

/**
 * Run by {@link ContractSuitesFailAgainstNothingTest} only; its name keeps Surefire from running it. The store is
 * real, so that only the channel does nothing; the short timeout keeps the expected failures quick.
 */
class DurableChannelContractAgainstNothing extends DurableChannelContract {

    @Override
    protected Backend newBackend() {
        return new Backend(new InMemoryEventStore(), new NothingStores.NothingDurableChannel());
    }

    @Override
    protected Duration deliveryTimeout() {
        return Duration.ofMillis(200);
    }
}
