/**
 * Cairn's test kit: given/when/then fixtures that test a domain's aggregates as pure functions, without a store
 * or a server. {@link io.cairn.testkit.AggregateFixture} folds the given events, decides one command, and its
 * {@link io.cairn.testkit.CommandOutcome} asserts the events, the rejection, the state or the exception, failing
 * with AssertJ-style messages that show what was expected and what came instead. Add it in test scope.
 */
package io.cairn.testkit;
