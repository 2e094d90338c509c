package io.cairn.contracts;

/**
 * Run by {@link ContractSuitesFailAgainstNothingTest} only: the durable channel suite as a channel without
 * per-stream order runs it, so that its relaxed checks are shown to fail against nothing too.
 */
class UnorderedDurableChannelContractAgainstNothing extends DurableChannelContractAgainstNothing {

    @Override
    protected boolean deliversInRevisionOrderPerStream() {
        return false;
    }
}
