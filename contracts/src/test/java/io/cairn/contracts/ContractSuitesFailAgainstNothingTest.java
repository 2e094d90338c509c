package io.cairn.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs every contract suite against stores that keep nothing and expects every one of its tests to fail, on an
 * assertion: a contract test that passes against nothing proves nothing about a real store.
 */
class ContractSuitesFailAgainstNothingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {
            EventStoreContractAgainstNothing.class,
            SnapshotStoreContractAgainstNothing.class,
            ViewStoreContractAgainstNothing.class,
            CheckpointStoreContractAgainstNothing.class,
            DurableChannelContractAgainstNothing.class,
            UnorderedDurableChannelContractAgainstNothing.class,
            GlobalLogContractAgainstNothing.class,
            TimeTravelContractAgainstNothing.class})
    void every_test_of_the_suite_fails_against_a_store_that_keeps_nothing(Class<?> suite) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute().testEvents();

        assertThat(tests.started().count()).as("tests started").isPositive();
        assertThat(names(tests.succeeded())).as("tests that passed against nothing").isEmpty();
        assertThat(names(tests.aborted())).as("tests aborted against nothing").isEmpty();
        assertThat(names(tests.skipped())).as("tests skipped against nothing").isEmpty();
        assertThat(tests.failed().count()).as("tests failed").isEqualTo(tests.started().count());
        assertThat(tests.failed().stream()).allSatisfy(failure -> assertThat(throwable(failure))
                .as("why %s failed", failure.getTestDescriptor().getDisplayName())
                .isInstanceOf(AssertionError.class));
    }

    private static List<String> names(Events events) {
        return events.stream().map(e -> e.getTestDescriptor().getUniqueId().toString()).toList();
    }

    private static Throwable throwable(Event failure) {
        return failure.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}
